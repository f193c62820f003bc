#pragma once

#include <iosfwd>

#include "core/session.hpp"
#include "io/cli.hpp"

namespace rl::app {

// Opens the window on `session` and runs until it is closed, or for request.frames frames.
// Returns the exit code: 2 when no window can be opened (no display), 1 when the screenshot could
// not be written, 0 otherwise.
int run_gui(const Session& session, const io::GuiRequest& request, std::ostream& out,
            std::ostream& err);

}  // namespace rl::app
