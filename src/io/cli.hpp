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

struct SessionDocument;

// What the window needs from the command line; the app supplies the function that opens it, so
// this library stays free of GL.
struct GuiRequest {
    std::string engine = "auto";
    int threads = 0;
    int frames = 0;             // > 0: run this many frames with training playing, then exit
    std::string screenshot;     // with --frames: the PNG written after the last frame
    int width = 0, height = 0;  // --size WxH; 0: the remembered or default size
    bool presenter = false;     // start in presenter mode
    // With frames: after the last frame, export the window and every plot (PNG, SVG, CSV) into
    // this folder through the same path as the menus; record_every > 0 also saves a PNG of the
    // window every that many frames, as the Record menu does.
    std::string export_dir;
    int record_every = 0;
    std::string save_session;  // with frames: the session file written after the last frame
    std::string source;        // where the session came from, for messages
    int lesson_step = 0;       // > 0: show this step of the lesson (1-based) at start
    // --compare KEY=VALUE: estimator settings of a second configuration B on A's problem; any
    // one turns compare mode on. run_cli checks them before the window opens.
    std::vector<std::string> compare_sets;
};

struct CliOptions {
    bool headless = false;
    bool list_presets = false;
    bool svg = false;  // with headless: also the plots as SVG
    bool version = false;
    std::string preset = "yes-no-maybe";
    std::string session_file;       // empty: start from the preset
    std::vector<std::string> sets;  // KEY=VALUE, applied in order
    std::string out_dir;
    std::string engine = "auto";
    int threads = 0;
    double soak_minutes = 0.0;  // > 0: --soak, a long run through every preset
    GuiRequest window;          // ignored with --headless; engine and threads are taken from above
};

// The launcher gets the whole document: a saved session's step and history (to replay) and the
// preset's lesson.
using GuiLauncher = std::function<int(const SessionDocument& document, const GuiRequest& request,
                                      std::ostream& out, std::ostream& err)>;

// Draws the window's plots without a window and writes them as SVG files into a folder; returns
// "" or the error. Supplied by the app, like the GuiLauncher, so this library stays free of ImGui.
using PlotSvgWriter =
    std::function<std::string(const rl::Session& session, const std::string& engine, int threads,
                              const std::string& out_dir, std::ostream& out)>;

// What --headless --soak needs. The soak drives the live session, which sits above this library,
// so the app supplies the runner as it does the GuiLauncher; it returns the exit code.
inline constexpr double kMaxSoakMinutes = 24.0 * 60.0;
struct SoakRequest {
    double minutes = 0.0;
    std::string engine = "auto";
    int threads = 0;
    std::string out_dir;
};
using SoakRunner =
    std::function<int(const SoakRequest& request, std::ostream& out, std::ostream& err)>;

// Fills `options` from the command line. Returns an exit code when the program should stop at
// once: 0 after --help, 2 after a parse error (reported on `err` as one line).
std::optional<int> parse_cli(int argc, const char* const* argv, CliOptions& options,
                             std::ostream& out, std::ostream& err);

// Applies --set KEY=VALUE arguments as the command line does: all together, so their order does
// not matter. They change the settings the run starts from, so the saved step and history are
// dropped (the lesson stays). Returns "" or "--set ARG: reason"; on error `document` is unchanged.
std::string apply_set_arguments(SessionDocument& document, const std::vector<std::string>& sets);

// Parses "WxH" (each 64 to 16384); false when it is not that.
bool parse_window_size(const std::string& text, int& width, int& height);

// The whole program: parse, then list presets, print the version, run headless, or open the
// window through `gui` (without one, asking for the window is a usage error; without `svg`, so is
// --svg, and without `soak`, --soak). Returns the process exit code (0 success, 1 failure, 2 usage
// error, 3 training diverged).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const GuiLauncher& gui = {}, const PlotSvgWriter& svg = {},
            const SoakRunner& soak = {});

}  // namespace rl::io
