#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <cmath>

#include "app/views/baseline_style.hpp"
#include "app/views/compare_plots.hpp"
#include "app/views/plot_common.hpp"

namespace rl::app {

namespace {

constexpr float kBandAlpha = 0.12f;
// The policy plot shares its row with two scatters: a legend of more actions than this would
// leave its lines no room (the actions table names them).
constexpr std::size_t kMaxLegendActions = 5;

plot::LineStyle line_of(const ConfigStyle& s, plot::Rgba color, float width = 0.0f) {
    return {.color = color, .width = width, .dashed = s.dashed};
}

const live::SnrCurve* current_curve(const live::Results& r) {
    for (const live::SnrCurve& c : r.snr_exact)
        if (c.baseline == r.settings.estimator.baseline && !c.K.empty()) return &c;
    return nullptr;
}

// Measured SNR points of one configuration: fresh ones filled and listed, stale ones hollow.
void measured_points(const live::Results& r, const ConfigStyle& s) {
    std::vector<float> k[2], snr[2];
    for (const live::SnrPoint& p : measured_snr_points(r)) {
        if (!(p.snr > 0.0)) continue;
        k[p.current].push_back(static_cast<float>(p.K));
        snr[p.current].push_back(static_cast<float>(p.snr));
    }
    // The marker and colour tie the points to their curve; "A measured" keeps the legend narrow.
    const std::string label = s.name.substr(0, 1) + " measured";
    plot::PlotScatter(
        label.c_str(), k[1].data(), snr[1].data(), static_cast<int>(k[1].size()),
        {.color = s.color, .size = 5.0f, .shape = s.marker, .outline = plot::GetStyle().text});
    if (!k[0].empty())
        plot::PlotScatter((label + " earlier").c_str(), k[0].data(), snr[0].data(),
                          static_cast<int>(k[0].size()),
                          {.color = s.color,
                           .size = 5.0f,
                           .shape = s.marker,
                           .filled = false,
                           .in_legend = false});
}

// An episode problem's policy in compare mode: per decision, the median over runs of P(a best
// action there), A's line beside B's, so where each estimator has learned reads at a glance.
void draw_compare_episode_policy(const live::Results& a, const live::Results& b,
                                 const ConfigStyle& sa, const ConfigStyle& sb) {
    const bool tokens = a.episodes.problem == core::ProblemKind::kTokens;
    plot::SetupAxis(plot::Axis::kX, {.label = tokens ? "position t" : "decision t", .min = 0.5});
    plot::SetupAxis(plot::Axis::kY, {.label = "median P(best)", .min = 0.0, .max = 1.0});
    plot::SetupLegend(plot::LegendCorner::kSouthEast);
    bool drawn = false;
    for (const auto& [r, s] : {std::pair{&a, &sa}, std::pair{&b, &sb}}) {
        const std::vector<double>& p = r->episodes.best_prob_p50;
        if (p.empty()) continue;
        std::vector<double> t(p.size());
        for (std::size_t i = 0; i < t.size(); ++i)
            t[i] = static_cast<double>(i + 1);
        plot::PlotLine(s->name.c_str(), t.data(), p.data(), static_cast<int>(p.size()),
                       line_of(*s, s->color, 2.0f));
        drawn = true;
    }
    if (!drawn)
        plot::PlotText(1.0, 0.5, "no one best action per decision here", plot::GetStyle().text_dim);
}

}  // namespace

void draw_compare_policy_plot(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                              const ConfigStyle& sb, ImVec2 size,
                              std::vector<PlotPlacement>& placed) {
    // The title names the line styles: the legend keeps to the actions, so the lines keep the
    // room.
    if (a.episodes.active) {
        if (!begin_placed_plot("Policy", "Policy: median P(best) by position, A solid, B dashed",
                               size, placed))
            return;
        draw_compare_episode_policy(a, b, sa, sb);
        plot::EndPlot();
        return;
    }
    if (!begin_placed_plot("Policy", "Policy: A solid, B dashed", size, placed)) return;
    plot::SetupAxis(plot::Axis::kX, {.label = "training step", .min = 0.0});
    plot::SetupAxis(plot::Axis::kY, {.label = "probability", .min = 0.0, .max = 1.0});
    plot::SetupLegend(plot::LegendCorner::kOutsideEast);
    const std::size_t actions =
        std::min({a.tracked_actions.size(), a.history.prob_p50.size(), b.history.prob_p50.size()});
    const bool legend = actions <= kMaxLegendActions;
    for (const auto& [r, s] : {std::pair{&a, &sa}, std::pair{&b, &sb}}) {
        const live::History& h = r->history;
        const int points = static_cast<int>(h.step.size());
        for (std::size_t t = 0; t < actions && points > 0; ++t) {
            // A's and B's curves of one action share its legend entry, so a click hides both.
            const std::string label = legend ? action_label(a, t) : "##" + action_label(a, t);
            const plot::Rgba color = action_color(t);
            plot::PlotBand(label.c_str(), h.step.data(), h.prob_p10[t].data(), h.prob_p90[t].data(),
                           points, with_alpha(color, kBandAlpha));
            plot::PlotLine(label.c_str(), h.step.data(), h.prob_p50[t].data(), points,
                           line_of(*s, color));
        }
    }
    plot::EndPlot();
}

void draw_compare_reward_plot(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                              const ConfigStyle& sb, ImVec2 size,
                              std::vector<PlotPlacement>& placed) {
    char title[160] = "Expected reward J";
    if (!a.history.best_share.empty() && !b.history.best_share.empty())
        std::snprintf(title, sizeof title, "J  (runs on the best: A %.0f%%, B %.0f%%)",
                      100.0 * a.history.best_share.back(), 100.0 * b.history.best_share.back());
    if (!begin_placed_plot("Reward", title, size, placed)) return;
    plot::SetupAxis(plot::Axis::kX, {.label = "training step", .min = 0.0});
    plot::SetupAxis(plot::Axis::kY, {.label = "J = E[R]"});
    plot::SetupLegend(plot::LegendCorner::kSouthEast);
    for (const auto& [r, s] : {std::pair{&a, &sa}, std::pair{&b, &sb}}) {
        const live::History& h = r->history;
        const int points = static_cast<int>(h.step.size());
        if (points == 0) continue;
        plot::PlotBand(s->name.c_str(), h.step.data(), h.j_p10.data(), h.j_p90.data(), points,
                       with_alpha(s->color, 0.15f));
        plot::PlotLine(s->name.c_str(), h.step.data(), h.j_p50.data(), points,
                       line_of(*s, s->color));
    }
    // One problem, so one best possible J.
    if (std::isfinite(a.best_J))
        plot::PlotHLine("best possible", a.best_J,
                        {.color = plot::GetStyle().text_dim, .width = 1.5f, .dashed = true});
    plot::EndPlot();
}

void draw_compare_snr_plot(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                           const ConfigStyle& sb, ImVec2 size, std::vector<PlotPlacement>& placed) {
    if (!begin_snr_plot(size, placed)) return;

    const live::SnrCurve* ca = current_curve(a);
    const live::SnrCurve* cb = current_curve(b);
    const int ka = a.settings.estimator.K, kb = b.settings.estimator.K;
    // The other baselines as context, thin; A's and B's own curves go on top, each at its own
    // policy (the two runs move apart as they learn).
    std::vector<const live::SnrCurve*> context;
    for (const live::SnrCurve& c : a.snr_exact)
        if (!c.K.empty() && c.baseline != a.settings.estimator.baseline &&
            c.baseline != b.settings.estimator.baseline)
            context.push_back(&c);
    // A's and B's entries come first (curves, measured points, K lines); the context curves are
    // listed only where the legend has room for them too.
    const float font = ImGui::GetFontSize();
    const float rows = (size.y - 2.5f * font) / (1.2f * font);
    const std::size_t own = (ca != nullptr) + (cb != nullptr) + 2 + (ka == kb ? 1 : 2);
    const bool list_context = static_cast<float>(context.size() + own) <= rows;
    for (const live::SnrCurve* curve : context) {
        const live::SnrCurve& c = *curve;
        plot::PlotLine(baseline_name(c.baseline).c_str(), c.K.data(), c.snr.data(),
                       static_cast<int>(c.K.size()),
                       {.color = with_alpha(baseline_color(c.baseline), 0.6f),
                        .width = 1.5f,
                        .in_legend = list_context});
    }
    for (const auto& [c, s] : {std::pair{ca, &sa}, std::pair{cb, &sb}}) {
        if (c == nullptr) continue;
        plot::PlotLine(s->name.c_str(), c->K.data(), c->snr.data(), static_cast<int>(c->K.size()),
                       line_of(*s, s->color, 3.5f));
    }
    measured_points(a, sa);
    measured_points(b, sb);

    const plot::LineStyle k_line{.color = plot::GetStyle().text, .width = 1.5f, .dashed = true};
    if (ka == kb) {
        plot::PlotVLine("current K", ka, k_line);
    } else {
        plot::PlotVLine("K of A", ka, {.color = sa.color, .width = 1.5f, .dashed = true});
        plot::PlotVLine("K of B", kb, {.color = sb.color, .width = 1.5f, .dashed = true});
    }
    plot::EndPlot();
}

}  // namespace rl::app
