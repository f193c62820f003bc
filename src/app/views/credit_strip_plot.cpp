#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/views/colormap.hpp"
#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"

// The credit strip: the first sequence run 0 sampled at its latest step, a column per token, each
// cell coloured by the weight A_t its score got under the run's estimator; beneath, the same
// sample's weights under the full return, rewards-to-go and the exact prefix-value baseline, all on
// one colour scale, so the room sees the full return blame every token alike and the prefix value
// put the blame on the token that spoiled the answer.
namespace rl::app {

namespace {

using Weights = std::vector<std::vector<core::DecisionWeight>>;

struct CreditRow {
    const char* name;
    const Weights* weights;
};

plot::Rgba weight_color(double a, double scale) {
    const std::array<std::uint8_t, 4> c = diverging_rgba(scale > 0.0 ? a / scale : 0.0);
    return {c[0] / 255.0f, c[1] / 255.0f, c[2] / 255.0f, 1.0f};
}

// Dark text on the scale's light middle, light text on its deep ends.
plot::Rgba number_color(double a, double scale) {
    return scale > 0.0 && std::abs(a) > 0.55 * scale ? plot::Rgba{1.0f, 1.0f, 1.0f, 1.0f}
                                                     : plot::Rgba{0.05f, 0.05f, 0.05f, 1.0f};
}

}  // namespace

void draw_credit_strip_plot(const live::Results& r, ImVec2 size,
                            std::vector<PlotPlacement>& placed) {
    const live::EpisodeResults& e = r.episodes;
    const core::EpisodeStepRecord& d = e.detail;
    const bool tokens = e.problem == core::ProblemKind::kTokens;
    if (!begin_placed_plot("Credit",
                           tokens
                               ? "Credit: the weight A_t on each token of run 0's latest sequence"
                               : "Credit: the weight A_t on each action of run 0's latest episode",
                           size, placed))
        return;
    const std::size_t n = d.batch.empty() ? 0 : d.batch.front().steps.size();
    const bool stepped = e.detail_step > 0 && n > 0;
    // Top row first as read; the rows a step could not weigh (no prefix value) are left out.
    // Before a step every row is named, so the empty strip already says what it will show.
    std::vector<CreditRow> rows;
    for (const CreditRow& row :
         {CreditRow{"used", &d.weights}, CreditRow{"full R", &d.full_return},
          CreditRow{"G_t", &d.reward_to_go}, CreditRow{"G_t - V_t", &d.prefix_value}}) {
        if (!stepped || (!row.weights->empty() && row.weights->front().size() >= n))
            rows.push_back(row);
    }
    std::reverse(rows.begin(), rows.end());  // PlotCells' first row is the lowest
    double scale = 0.0;
    for (const CreditRow& row : rows)
        for (std::size_t t = 0; stepped && t < n; ++t)
            scale = std::max(scale, std::abs(row.weights->front()[t].advantage));

    std::vector<std::string> names, row_names;
    if (!stepped) names.emplace_back();
    for (std::size_t t = 0; stepped && t < n; ++t) {
        const std::uint32_t a = d.batch.front().steps[t].action;
        names.push_back(a < e.action_names.size() ? e.action_names[a] : std::to_string(a));
    }
    for (const CreditRow& row : rows)
        row_names.emplace_back(row.name);
    plot::SetupCategories(names);
    plot::SetupRowNames(row_names);
    char x_label[160];
    std::snprintf(x_label, sizeof x_label,
                  "%s in order; blue: pushed up, red: pushed down (deepest |A_t| = %.3g)",
                  tokens ? "tokens" : "actions", scale);
    plot::SetupAxis(plot::Axis::kX, {.label = stepped ? x_label : "",
                                     .min = -0.5,
                                     .max = static_cast<double>(names.size()) - 0.5});
    plot::SetupAxis(plot::Axis::kY,
                    {.label = "", .min = 0.5, .max = static_cast<double>(rows.size()) + 0.5});
    plot::SetupLegend(plot::LegendCorner::kNone);
    if (!stepped) {
        plot::PlotText(0.0, 0.5 * static_cast<double>(rows.size() + 1),
                       "no step yet: press S, or play", plot::GetStyle().text_dim);
        plot::EndPlot();
        return;
    }
    std::vector<double> values;
    std::vector<plot::Rgba> colors;
    for (const CreditRow& row : rows)
        for (std::size_t t = 0; t < n; ++t) {
            values.push_back(row.weights->front()[t].advantage);
            colors.push_back(weight_color(values.back(), scale));
        }
    const int row_count = static_cast<int>(rows.size());
    const int cols = static_cast<int>(n);
    plot::PlotCells("A_t", values.data(), colors.data(), row_count, cols);
    // The numbers in the cells when they have room, for a student checking This step by hand.
    const float font = ImGui::GetFontSize();
    const float cell_w = (size.x - 12.0f * font) / static_cast<float>(cols);
    const float cell_h = (size.y - 5.0f * font) / static_cast<float>(row_count);
    if (cell_w >= 3.2f * font && cell_h >= 1.4f * font) {
        char text[16];
        for (std::size_t k = 0; k < values.size(); ++k) {
            // A weight that rounds to zero reads 0, not -0.00.
            std::snprintf(text, sizeof text, "%+.2f",
                          std::abs(values[k]) < 0.005 ? 0.0 : values[k]);
            plot::PlotText(static_cast<double>(k % n), static_cast<double>(k / n) + 1.0, text,
                           number_color(values[k], scale));
        }
    }
    plot::EndPlot();
}

}  // namespace rl::app
