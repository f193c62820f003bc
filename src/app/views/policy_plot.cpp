#include <algorithm>
#include <string>
#include <vector>

#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"

namespace rl::app {

namespace {

// Beyond this many actions the lines get no legend and the bars one colour: a legend of 256
// entries would hide the plot.
constexpr std::size_t kMaxLegendActions = 12;

// The tracked actions the plots draw one by one: all of them, or at vocabulary scale the few
// the live model picked (it sums the others into "the rest").
std::vector<std::size_t> drawn_actions(const live::Results& r, std::size_t available) {
    std::vector<std::size_t> drawn;
    if (r.policy_top.empty()) {
        for (std::size_t t = 0; t < available; ++t)
            drawn.push_back(t);
    } else {
        for (std::size_t t : r.policy_top)
            if (t < available) drawn.push_back(t);
    }
    return drawn;
}

constexpr const char* kRestLabel = "the rest##rest";

void draw_history(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    if (!begin_placed_plot("Policy", "Policy: median and 10-90% of runs", size, placed)) return;
    plot::SetupAxis(plot::Axis::kX, {.label = "training step", .min = 0.0});
    plot::SetupAxis(plot::Axis::kY, {.label = "probability", .min = 0.0, .max = 1.0});
    const live::History& h = r.history;
    const int points = static_cast<int>(h.step.size());
    const std::vector<std::size_t> drawn =
        drawn_actions(r, std::min(r.tracked_actions.size(), h.prob_p50.size()));
    const bool top = !r.policy_top.empty();
    const bool legend = drawn.size() <= kMaxLegendActions;
    // The lines can run through every corner, so their names go under the plot (also in the
    // exports, which name no action otherwise).
    plot::SetupLegend(legend || top ? plot::LegendCorner::kOutsideSouth
                                    : plot::LegendCorner::kNone);
    const std::vector<std::size_t> looks = drawn_looks(drawn, plot::PaletteSize());
    for (std::size_t i = 0; i < drawn.size(); ++i) {
        const std::size_t t = drawn[i];
        if (points == 0) break;
        // The band shares its line's label, so one legend entry shows and hides both.
        const std::string label = legend ? action_label(r, t) : "##" + action_label(r, t);
        const plot::Rgba color = action_color(looks[i]);
        plot::PlotBand(label.c_str(), h.step.data(), h.prob_p10[t].data(), h.prob_p90[t].data(),
                       points, with_alpha(color, 0.18f));
        plot::PlotLine(label.c_str(), h.step.data(), h.prob_p50[t].data(), points,
                       action_line(looks[i]));
    }
    if (top && points > 0 && r.rest_p50.size() == h.step.size())
        plot::PlotLine(kRestLabel, h.step.data(), r.rest_p50.data(), points,
                       {.color = plot::GetStyle().rest, .width = 2.0f, .dashed = true});
    plot::EndPlot();
}

void draw_bars(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    if (!begin_placed_plot("Policy now", "Now", size, placed)) return;
    const std::vector<std::size_t> drawn =
        drawn_actions(r, std::min(r.tracked_actions.size(), r.median_probs.size()));
    const bool rest = !r.policy_top.empty();
    const std::size_t bars = drawn.size() + (rest ? 1 : 0);
    std::vector<std::string> names;
    std::vector<double> heights;
    for (std::size_t t : drawn) {
        const std::string label = action_label(r, t);
        names.push_back(label.substr(0, label.find("##")));
        heights.push_back(r.median_probs[t]);
    }
    if (rest) {
        names.emplace_back("rest");
        heights.push_back(r.rest_now);
    }
    plot::SetupCategories(names);
    plot::SetupAxis(plot::Axis::kX, {.label = "", .min = -0.6, .max = bars - 0.4});
    plot::SetupAxis(plot::Axis::kY, {.label = "", .min = 0.0, .max = 1.0});
    plot::SetupLegend(plot::LegendCorner::kNone);
    if (bars <= kMaxLegendActions) {
        // One call per bar so each has its action's colour (the rest: its grey, as its line).
        std::vector<double> one(bars, 0.0);
        const std::vector<std::size_t> looks = drawn_looks(drawn, plot::PaletteSize());
        for (std::size_t i = 0; i < bars; ++i) {
            std::fill(one.begin(), one.end(), 0.0);
            one[i] = heights[i];
            const plot::Rgba color =
                i < drawn.size() ? action_color(looks[i]) : plot::GetStyle().rest;
            plot::PlotBars(("##bar" + std::to_string(i)).c_str(), one.data(),
                           static_cast<int>(bars), 0.7, color);
        }
    } else {
        plot::PlotBars("##median", heights.data(), static_cast<int>(bars), 0.8, action_color(0));
    }
    // The 10-90% spread across runs as a whisker on each action's bar (the rest has none).
    for (std::size_t i = 0; i < drawn.size() && i < kMaxLegendActions; ++i) {
        const std::size_t t = drawn[i];
        if (t >= r.p10_probs.size() || t >= r.p90_probs.size()) continue;
        const double xs[2] = {static_cast<double>(i), static_cast<double>(i)};
        const double ys[2] = {r.p10_probs[t], r.p90_probs[t]};
        plot::PlotLine(("##spread" + std::to_string(i)).c_str(), xs, ys, 2,
                       {.color = plot::GetStyle().text, .width = 1.5f, .in_legend = false});
    }
    plot::EndPlot();
}

}  // namespace

void draw_policy_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    if (r.episodes.active) {
        draw_position_policy_plot(r, size, placed);
        return;
    }
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    // Room for each action's name under its bar, within limits that leave the history most.
    const float per_action = ImGui::GetFontSize() * 4.5f;
    const std::size_t shown =
        r.policy_top.empty() ? r.tracked_actions.size() : r.policy_top.size() + 1;
    const float bars = std::clamp(per_action * static_cast<float>(shown),
                                  ImGui::GetFontSize() * 7.0f, size.x * 0.38f);
    const float history = size.x - bars - spacing;
    // Too narrow for both (presenter mode on a small screen): the history matters more.
    if (history < ImGui::GetFontSize() * 10.0f) {
        draw_history(r, size, placed);
        return;
    }
    draw_history(r, {history, size.y}, placed);
    ImGui::SameLine(0.0f, spacing);
    draw_bars(r, {bars, size.y}, placed);
}

}  // namespace rl::app
