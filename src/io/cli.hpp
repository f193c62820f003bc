#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "io/session_file.hpp"

// The command line: parsing, and checking what it asks for before anything runs. The program
// itself (app/shell/program) then opens the window, runs headless or soaks.
namespace rl::io {

// What the window needs from the command line.
struct GuiRequest {
    std::string engine = "auto";
    int threads = 0;
    // --memory-limit in bytes; 0: half this machine's memory.
    std::uint64_t memory_limit = 0;
    int frames = 0;  // > 0: run this many frames with training playing, then exit
    // With frames: the engine ticks beside the window as in a live session, instead of one tick
    // per frame that the frame waits for (frame times as a class sees them).
    bool free_running = false;
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
    bool list_settings = false;
    bool svg = false;  // with headless: also the plots as SVG
    bool version = false;
    std::string preset = "yes-no-maybe";
    std::string session_file;       // empty: start from the preset
    std::vector<std::string> sets;  // KEY=VALUE, applied in order
    std::string out_dir;
    std::string engine = "auto";
    int threads = 0;
    // --memory-limit in bytes; 0: half this machine's memory.
    std::uint64_t memory_limit = 0;
    double soak_minutes = 0.0;  // > 0: --soak, a long run through every preset
    GuiRequest window;          // ignored with --headless; engine and threads are taken from above
    std::vector<std::string> window_options;  // the window-only options given (--headless refuses)
};

inline constexpr double kMaxSoakMinutes = 24.0 * 60.0;

// Fills `options` from the command line. Returns an exit code when the program should stop at
// once: 0 after --help, 2 after a parse error (reported on `err` as one line).
std::optional<int> parse_cli(int argc, const char* const* argv, CliOptions& options,
                             std::ostream& out, std::ostream& err);

// Applies --set KEY=VALUE arguments as the command line does: all together, so their order does
// not matter. They change the settings the run starts from, so the saved step and history are
// dropped (the lesson stays). Returns "" or "--set ARG: reason"; on error `document` is unchanged.
std::string apply_set_arguments(SessionFile& document, const std::vector<std::string>& sets);

// Parses "WxH" (each 64 to 16384); false when it is not that.
bool parse_window_size(const std::string& text, int& width, int& height);

// What the program was asked to do, with every argument and the file or preset it names checked.
struct CommandPlan {
    enum class Mode { kVersion, kListPresets, kListSettings, kWindow, kHeadless, kSoak };
    Mode mode = Mode::kWindow;
    CliOptions options;
    // kWindow and kHeadless: the session to run, --set applied (a preset brings its lesson).
    SessionFile document;
    // kWindow: what the window needs, its source and engine filled in.
    GuiRequest window;
};

// Parses the command line and checks everything the chosen mode needs (the --out folder is
// created and must be writable; --compare settings must be estimator settings; ...). Returns the
// exit code when the program should stop at once: 0 after --help (printed on `out`), 2 after a
// usage error (one line on `err`).
std::variant<CommandPlan, int> plan_command(int argc, const char* const* argv, std::ostream& out,
                                            std::ostream& err);

// --list-presets: each preset's name and title on `out`; the exit code (1 when one cannot load).
int list_presets_command(std::ostream& out, std::ostream& err);

// "0.1.0": this build's version.
const char* program_version();

// --list-settings: every setting a session file or --set takes, with what values it takes, its
// default and what it does; then each action's fields. docs/SESSION.md shows the same text.
std::string settings_reference();

// One line "reinforce-lab: MESSAGE" on `err` (line breaks in the message become spaces); returns
// kExitUsage.
int usage_error(std::ostream& err, const std::string& message);
// The same line without the exit code, for failures that are not usage errors.
void report_error(std::ostream& err, const std::string& message);

}  // namespace rl::io
