#pragma once

#include <string>
#include <vector>

#include "core/settings.hpp"
#include "io/output_set.hpp"
#include "live/runner.hpp"
#include "plot/recording.hpp"

// The window's plots without a window: a Dear ImGui context with no renderer draws them once, and
// their recordings become SVG files. For `--headless --svg`.
namespace rl::app {

struct DrawnPlot {
    std::string name;  // as the window names it: "Policy", "Policy now", "Gradient", ...
    plot::Recording recording;
};

// Draws every plot of the window for `results`, each alone at `width` x `height` pixels, in the
// light (presenter) colours at scale 1. Needs no current ImGui context: it makes its own and
// restores whatever was current.
std::vector<DrawnPlot> draw_plots_headless(const live::Results& results, int width, int height);

// Trains `session` in a live session to its last step (as the window would, on the same seed),
// lets the measured SNR points settle, draws the plots and writes <plot>.svg for each into `set`
// (policy.svg, policy-now.svg, gradient.svg, reward.svg, snr.svg; io::kHeadlessOutputNames must
// list every one, or the set refuses it). Returns "" or the first error.
std::string write_plot_svgs(const core::Settings& settings, const live::RunnerOptions& options,
                            io::OutputSet& set);

}  // namespace rl::app
