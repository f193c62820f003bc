#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/views/baseline_style.hpp"
#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"

namespace rl::app {

// Narrower than this many font sizes, the legend goes under the curves.
constexpr float kMinSnrWidthFonts = 26.0f;

bool begin_snr_plot(ImVec2 size, std::vector<PlotPlacement>& placed, const std::string& absent) {
    const std::string title =
        absent.empty() ? std::string("Signal-to-noise vs K") : "Signal-to-noise vs K: " + absent;
    if (!begin_placed_plot("SNR", title.c_str(), size, placed)) return false;
    plot::SetupAxis(plot::Axis::kX, {.label = "K (samples per step)",
                                     .log = true,
                                     // Just below 1, so the current-K line at K = 1 is not
                                     // hidden under the frame.
                                     .min = 0.8,
                                     .max = static_cast<double>(live::kSnrMaxK)});
    plot::SetupAxis(plot::Axis::kY, {.label = "SNR = |E g| / √tr Cov g", .log = true});
    // Curves can cross every corner; the legend goes beside them, or under them where beside
    // would leave the curves too narrow to read (a three-column grid).
    plot::SetupLegend(size.x < kMinSnrWidthFonts * ImGui::GetFontSize()
                          ? plot::LegendCorner::kOutsideSouth
                          : plot::LegendCorner::kOutsideEast);
    return true;
}

void draw_snr_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    const core::BaselineKind current = r.settings.estimator.baseline;
    const live::SnrCurve* current_curve = nullptr;
    std::string absent;
    for (const live::SnrCurve& c : r.snr_exact) {
        if (c.baseline != current) continue;
        if (!c.K.empty()) current_curve = &c;
        // A curve missing for want of a closed form is the usual case, and the legend says so
        // by its absence; one missing because the ratio has no value here is worth a word.
        if (c.noise_free) {
            absent = "infinite (no noise)";
        } else if (c.K.empty() &&
                   core::has_closed_form(r.settings.estimator, r.settings.estimator.K)) {
            absent = "none (" + c.reason + ")";
        }
    }
    if (!begin_snr_plot(size, placed, absent)) return;
    // Widest first, so a narrower curve on the same values shows on top of a wider one.
    std::vector<const live::SnrCurve*> order;
    for (const live::SnrCurve& c : r.snr_exact)
        if (!c.K.empty()) order.push_back(&c);
    std::stable_sort(order.begin(), order.end(),
                     [&](const live::SnrCurve* x, const live::SnrCurve* y) {
                         return baseline_line(x->baseline, x == current_curve).width >
                                baseline_line(y->baseline, y == current_curve).width;
                     });
    // The step before's curve, faint and under the others, for before and after.
    if (!r.before.snr.K.empty()) {
        const std::string label = "before (" + r.before.label + ")";
        plot::PlotLine(label.c_str(), r.before.snr.K.data(), r.before.snr.snr.data(),
                       static_cast<int>(r.before.snr.K.size()),
                       {.color = with_alpha(plot::GetStyle().text_dim, 0.7f), .width = 4.0f});
    }

    for (const live::SnrCurve* curve : order) {
        const live::SnrCurve& c = *curve;
        const bool is_current = &c == current_curve;
        const std::string label = baseline_name(c.baseline) + (is_current ? " (current)" : "");
        plot::PlotLine(label.c_str(), c.K.data(), c.snr.data(), static_cast<int>(c.K.size()),
                       baseline_line(c.baseline, is_current));
    }

    // An infinite SNR has no point on the axes: its legend entry says so.
    for (const live::SnrCurve& c : r.snr_exact) {
        if (!c.noise_free) continue;
        const std::string label = baseline_name(c.baseline) + ": ∞ (exact, no noise)";
        plot::PlotLine(label.c_str(), nullptr, nullptr, 0,
                       baseline_line(c.baseline, c.baseline == current));
    }

    // The sqrt(K) guide through the current curve's K = 1 value: averaging K independent
    // samples divides the noise's standard deviation by sqrt(K).
    if (current_curve != nullptr && current_curve->snr.front() > 0.0) {
        const double ks[2] = {1.0, static_cast<double>(live::kSnrMaxK)};
        const double guide[2] = {current_curve->snr.front(),
                                 current_curve->snr.front() * std::sqrt(ks[1])};
        plot::PlotLine("√K guide", ks, guide, 2,
                       {.color = plot::GetStyle().text_dim, .width = 1.0f, .dashed = true});
    }

    std::vector<float> fresh_k, fresh_snr, stale_k, stale_snr;
    for (const live::SnrPoint& p : measured_snr_points(r)) {
        if (!(p.snr > 0.0)) continue;
        (p.current ? fresh_k : stale_k).push_back(static_cast<float>(p.K));
        (p.current ? fresh_snr : stale_snr).push_back(static_cast<float>(p.snr));
    }
    const plot::Rgba color = baseline_color(current);
    const std::string measured = "measured";
    plot::PlotScatter(measured.c_str(), fresh_k.data(), fresh_snr.data(),
                      static_cast<int>(fresh_k.size()),
                      {.color = color, .size = 5.0f, .outline = plot::GetStyle().text});
    if (!stale_k.empty())
        plot::PlotScatter("measured earlier", stale_k.data(), stale_snr.data(),
                          static_cast<int>(stale_k.size()),
                          {.color = color, .size = 5.0f, .filled = false});
    plot::PlotVLine("current K", r.settings.estimator.K,
                    {.color = plot::GetStyle().text, .width = 1.5f, .dashed = true});
    plot::EndPlot();
}

}  // namespace rl::app
