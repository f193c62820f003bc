#pragma once

#include <iosfwd>

// The whole program: the command line, then the window, a headless run, a soak, the preset list
// or the version. Returns the process exit code (0 success, 1 failure, 2 usage error, 3 training
// diverged).
namespace rl::app {

int run_program(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace rl::app
