#pragma once

#include <iosfwd>

#include "core/settings.hpp"
#include "io/cli.hpp"
#include "io/session_file.hpp"

namespace rl::app {

// Opens the window on `session` and runs until it is closed, or for request.frames frames.
// Returns the exit code: 2 when no window can be opened (no display), 1 when the screenshot could
// not be written, 0 otherwise.
// Opens the window on `document` (a preset and its lesson, or a saved session, replayed to its
// step) and runs until it is closed, or for request.frames frames. Interactive runs save the
// session on exit and offer it on the next start.
int run_gui(const io::SessionFile& document, const io::GuiRequest& request, std::ostream& out,
            std::ostream& err);

}  // namespace rl::app
