#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "live/runner.hpp"
#include "soak/memory_growth.hpp"

// A long class session compressed: every preset in turn through the window's live path (loads,
// setting edits, play, pause, step, reset, lesson steps, compare mode, saving and reloading the
// session, drawing the plots), while resident memory is sampled about once a second. Memory that
// keeps growing after the warm-up is a leak or an unbounded cache, and fails the run.
namespace rl::soak {

inline constexpr double kSoakMaxGrowth = 0.02;

// Draws the plots as --headless --svg does and turns each into SVG text, kept nowhere: what the
// soak checks is that drawing and exporting again and again leaves memory flat. Returns how many
// it exported.
std::size_t draw_plots_svg(const live::Results& results);

struct SoakOptions {
    double minutes = 1.0;
    live::RunnerOptions live;
    std::filesystem::path out_dir;  // soak.csv is written here
    // Draws the window's plots for `results` without a window and returns how many it drew: by
    // default draw_plots_svg below; a test may count instead. Empty: plots are not drawn.
    std::function<std::size_t(const live::Results& results)> draw_plots = draw_plots_svg;
    // Plots are drawn on the presets whose place in the list is a multiple of this: the same ones
    // every cycle, so that each cycle's memory looks alike.
    int draw_every = 3;
    // Frames are played after each change for this long (at least one); the tests use 0.
    double phase_seconds = 0.1;
};

struct SoakReport {
    double seconds = 0.0;     // how long it ran
    double warmup_end = 0.0;  // seconds: the first 20% of the run, at least the first cycle
    double start_bytes = 0.0;
    MemoryGrowth growth;
    int cycles = 0;                    // complete passes over every preset
    std::vector<std::string> presets;  // every preset, in visiting order
    std::vector<std::string> visited;  // the presets visited at least once
    long long ticks = 0;               // frames ticked (compare mode's B included)
    long long documents = 0;           // session documents saved and loaded back
    long long plot_draws = 0;          // plots drawn without a window
    long long engine_errors = 0;       // error messages the sessions posted
    // Anything refused that a class session would have had accepted; each fails the run.
    std::vector<std::string> problems;
    std::filesystem::path csv;  // the samples written: seconds, rss_bytes, cycle, preset

    bool passed() const { return problems.empty() && growth.growth < kSoakMaxGrowth; }
};

// Runs for options.minutes, and at least until three full cycles are done: the first is warm-up,
// and the memory just after it is compared with the memory in the last cycle. Progress goes to
// `out`. Throws std::invalid_argument when the engine cannot be made or there are no presets, and
// std::runtime_error when resident memory cannot be read or soak.csv cannot be written.
SoakReport run_soak(const SoakOptions& options, std::ostream& out);

// run_soak with its report on `out` and any failure on `err` as one line. Returns the exit code:
// 0 passed, 1 memory grew or something was refused, 2 the engine or presets were unusable.
int soak_command(const SoakOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rl::soak
