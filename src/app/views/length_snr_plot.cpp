#include <algorithm>
#include <string>
#include <vector>

#include "app/views/baseline_style.hpp"
#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"
#include "core/choices.hpp"

// SNR against the length T of a token sequence: the exact curves of each credit (solid for
// rewards-to-go, dashed for the full return) with each baseline's colour, at the starting
// policy and the current K; the run's own estimator measured at the same lengths; the current T
// marked. Both axes are logarithmic, so a power of T is a straight line.
namespace rl::app {

namespace {

// Narrower than this many font sizes, the legend goes under the curves, as the SNR plot does.
constexpr float kMinLengthWidthFonts = 26.0f;

std::string curve_label(const live::LengthCurve& c, bool own) {
    // Short, so the legend keeps its place in a narrow plot: the credit as its symbol.
    std::string label = c.credit == core::Credit::kFullReturn ? "R" : "G_t";
    label += ", ";
    label += baseline_name(c.baseline);
    if (own) label += " (current)";
    return label;
}

}  // namespace

void draw_length_snr_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    const live::LengthSweep& sweep = r.episodes.length;
    const std::string title = "SNR vs T (K = " + std::to_string(sweep.K) + ", at the start)";
    if (!begin_placed_plot("Length", title.c_str(), size, placed)) return;
    const double top = std::max(16.0, 4.0 * sweep.current_T);
    plot::SetupAxis(plot::Axis::kX, {.label = "T (tokens in the answer)",
                                     .log = true,
                                     // Just below 1, so the current-T line at T = 1 shows.
                                     .min = 0.8,
                                     .max = top * 1.05});
    plot::SetupAxis(plot::Axis::kY, {.label = "SNR = |E g| / √tr Cov g", .log = true});
    plot::SetupLegend(size.x < kMinLengthWidthFonts * ImGui::GetFontSize()
                          ? plot::LegendCorner::kOutsideSouth
                          : plot::LegendCorner::kOutsideEast);
    const core::EstimatorSettings& est = r.settings.estimator;
    for (const live::LengthCurve& c : sweep.curves) {
        if (c.T.empty()) continue;
        const bool own = c.credit == est.credit && c.baseline == est.baseline;
        plot::LineStyle style = baseline_line(c.baseline, own);
        style.dashed = c.credit == core::Credit::kFullReturn;
        const std::string label = curve_label(c, own);
        plot::PlotLine(label.c_str(), c.T.data(), c.snr.data(), static_cast<int>(c.T.size()),
                       style);
    }
    std::vector<float> xs(sweep.measured_T.begin(), sweep.measured_T.end());
    std::vector<float> ys(sweep.measured_snr.begin(), sweep.measured_snr.end());
    plot::PlotScatter(
        "measured (current)", xs.data(), ys.data(), static_cast<int>(xs.size()),
        {.color = baseline_color(est.baseline), .size = 5.0f, .outline = plot::GetStyle().text});
    plot::PlotVLine("current T", sweep.current_T,
                    {.color = plot::GetStyle().text, .width = 1.5f, .dashed = true});
    plot::EndPlot();
}

}  // namespace rl::app
