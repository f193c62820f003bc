#include <cmath>
#include <cstdio>

#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"

namespace rl::app {

void draw_reward_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    char title[160];
    if (r.history.best_share.empty()) {
        std::snprintf(title, sizeof title, "Expected reward J");
    } else {
        std::snprintf(title, sizeof title, "Expected reward J:  %.0f%% of runs on the best",
                      100.0 * r.history.best_share.back());
    }
    if (!begin_placed_plot("Reward", title, size, placed)) return;
    plot::SetupAxis(plot::Axis::kX, {.label = "training step", .min = 0.0});
    plot::SetupAxis(plot::Axis::kY, {.label = "J = E[R]"});
    plot::SetupLegend(plot::LegendCorner::kSouthEast);
    const live::History& h = r.history;
    const int points = static_cast<int>(h.step.size());
    const plot::Rgba color = plot::PaletteColor(0);
    if (points > 0) {
        plot::PlotBand("J (median)", h.step.data(), h.j_p10.data(), h.j_p90.data(), points,
                       with_alpha(color, 0.2f));
        plot::PlotLine("J (median)", h.step.data(), h.j_p50.data(), points, {.color = color});
    }
    // NaN for episodes, whose best J has no closed form.
    if (std::isfinite(r.best_J))
        plot::PlotHLine("best possible", r.best_J,
                        {.color = plot::GetStyle().text_dim, .width = 1.5f, .dashed = true});
    plot::EndPlot();
}

}  // namespace rl::app
