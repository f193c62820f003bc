#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace rl {
struct Session;
}

namespace rl::io {

// What the window needs from the command line; the app supplies the function that opens it, so
// this library stays free of GL.
struct GuiRequest {
    std::string engine = "auto";
    int threads = 0;
    int frames = 0;             // > 0: run this many frames with training playing, then exit
    std::string screenshot;     // with --frames: the PNG written after the last frame
    int width = 0, height = 0;  // --size WxH; 0: the remembered or default size
    bool presenter = false;     // start in presenter mode
    // --compare KEY=VALUE: estimator settings of a second configuration B on A's problem; any
    // one turns compare mode on. run_cli checks them before the window opens.
    std::vector<std::string> compare_sets;
};

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
    GuiRequest window;  // ignored with --headless; engine and threads are taken from above
};

using GuiLauncher = std::function<int(const rl::Session& session, const GuiRequest& request,
                                      std::ostream& out, std::ostream& err)>;

// Fills `options` from the command line. Returns an exit code when the program should stop at
// once: 0 after --help, 2 after a parse error (reported on `err` as one line).
std::optional<int> parse_cli(int argc, const char* const* argv, CliOptions& options,
                             std::ostream& out, std::ostream& err);

// Parses "WxH" (each 64 to 16384); false when it is not that.
bool parse_window_size(const std::string& text, int& width, int& height);

// The whole program: parse, then list presets, print the version, run headless, or open the
// window through `gui` (without one, asking for the window is a usage error). Returns the process
// exit code (0 success, 1 failure, 2 usage error, 3 training diverged).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const GuiLauncher& gui = {});

}  // namespace rl::io
