#include <algorithm>
#include <string>
#include <vector>

#include "app/plot_common.hpp"
#include "app/plots.hpp"

namespace rl::app {

namespace {

// Beyond this many actions the lines get no legend and the bars one colour: a legend of 256
// entries would hide the plot.
constexpr std::size_t kMaxLegendActions = 12;

void draw_history(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    if (!begin_placed_plot("Policy", "Policy: median and 10-90% of runs", size, placed)) return;
    plot::SetupAxis(plot::Axis::kX, {.label = "training step", .min = 0.0});
    plot::SetupAxis(plot::Axis::kY, {.label = "probability", .min = 0.0, .max = 1.0});
    // With few actions the bars beside this plot name them in the same colours, and a legend
    // box would cover the lines, which can run through every corner.
    plot::SetupLegend(plot::LegendCorner::kNone);
    const live::History& h = r.history;
    const int points = static_cast<int>(h.step.size());
    const std::size_t actions = std::min(r.tracked_actions.size(), h.prob_p50.size());
    const bool legend = actions <= kMaxLegendActions;
    for (std::size_t t = 0; t < actions && points > 0; ++t) {
        // The band shares its line's label, so one legend entry shows and hides both.
        const std::string label = legend ? action_label(r, t) : "##" + action_label(r, t);
        const plot::Rgba color = action_color(t);
        plot::PlotBand(label.c_str(), h.step.data(), h.prob_p10[t].data(), h.prob_p90[t].data(),
                       points, with_alpha(color, 0.18f));
        plot::PlotLine(label.c_str(), h.step.data(), h.prob_p50[t].data(), points,
                       {.color = color});
    }
    plot::EndPlot();
}

void draw_bars(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    if (!begin_placed_plot("Policy now", "Now", size, placed)) return;
    const std::size_t actions = std::min(r.tracked_actions.size(), r.median_probs.size());
    std::vector<std::string> names;
    for (std::size_t t = 0; t < actions; ++t) {
        const std::string label = action_label(r, t);
        names.push_back(label.substr(0, label.find("##")));
    }
    plot::SetupCategories(names);
    plot::SetupAxis(plot::Axis::kX, {.label = "", .min = -0.6, .max = actions - 0.4});
    plot::SetupAxis(plot::Axis::kY, {.label = "", .min = 0.0, .max = 1.0});
    plot::SetupLegend(plot::LegendCorner::kNone);
    if (actions <= kMaxLegendActions) {
        // One call per action so each bar has its action's colour.
        std::vector<double> one(actions, 0.0);
        for (std::size_t t = 0; t < actions; ++t) {
            std::fill(one.begin(), one.end(), 0.0);
            one[t] = r.median_probs[t];
            plot::PlotBars(("##bar" + std::to_string(t)).c_str(), one.data(),
                           static_cast<int>(actions), 0.7, action_color(t));
        }
    } else {
        plot::PlotBars("##median", r.median_probs.data(), static_cast<int>(actions), 0.8,
                       action_color(0));
    }
    // The 10-90% spread across runs as a whisker on each bar.
    const std::size_t whiskers = std::min({actions, r.p10_probs.size(), r.p90_probs.size()});
    for (std::size_t t = 0; t < whiskers && t < kMaxLegendActions; ++t) {
        const double xs[2] = {static_cast<double>(t), static_cast<double>(t)};
        const double ys[2] = {r.p10_probs[t], r.p90_probs[t]};
        plot::PlotLine(("##spread" + std::to_string(t)).c_str(), xs, ys, 2,
                       {.color = plot::GetStyle().text, .width = 1.5f, .in_legend = false});
    }
    plot::EndPlot();
}

}  // namespace

void draw_policy_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    // Room for each action's name under its bar, within limits that leave the history most.
    const float per_action = ImGui::GetFontSize() * 4.5f;
    const float bars = std::clamp(per_action * static_cast<float>(r.tracked_actions.size()),
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
