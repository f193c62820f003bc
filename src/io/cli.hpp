#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rl::io {

struct CliOptions {
    bool headless = false;
    bool list_presets = false;
    bool version = false;
    std::string preset = "yes-no-maybe";
    std::string session_file;       // empty: start from the preset
    std::vector<std::string> sets;  // KEY=VALUE, applied in order
    std::string out_dir;
    std::string engine = "auto";
    int threads = 0;
};

// Fills `options` from the command line. Returns an exit code when the program should stop at
// once: 0 after --help, 2 after a parse error (reported on `err` as one line).
std::optional<int> parse_cli(int argc, const char* const* argv, CliOptions& options,
                             std::ostream& out, std::ostream& err);

// The whole program: parse, then list presets, print the version, or run headless. Returns the
// process exit code (0 success, 1 failure, 2 usage error, 3 training diverged).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace rl::io
