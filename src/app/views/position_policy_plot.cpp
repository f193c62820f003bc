#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "app/views/colormap.hpp"
#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"

// The policy of an episode problem: one row per logit set (per position for token sequences),
// one column per token, each cell the median over runs of that token's probability there.
namespace rl::app {

namespace {

plot::Rgba cell_color(double p) {
    const std::array<std::uint8_t, 4> c = colormap_rgba(static_cast<float>(p));
    return {c[0] / 255.0f, c[1] / 255.0f, c[2] / 255.0f, 1.0f};
}

// Dark text on the colour scale's light (high) end, light text on its dark end.
plot::Rgba number_color(double p) {
    return p > 0.55 ? plot::Rgba{0.05f, 0.05f, 0.05f, 1.0f} : plot::Rgba{1.0f, 1.0f, 1.0f, 1.0f};
}

}  // namespace

void draw_position_policy_plot(const live::Results& r, ImVec2 size,
                               std::vector<PlotPlacement>& placed) {
    const live::EpisodeResults& e = r.episodes;
    const bool tokens = e.problem == core::ProblemKind::kTokens;
    const bool by_position = tokens && e.block_names.size() == static_cast<std::size_t>(e.horizon);
    const char* title = by_position ? "Policy over positions: median P(token) across runs"
                                    : "Policy: median P(action) across runs, by logit set";
    if (!begin_placed_plot("Policy", title, size, placed)) return;
    const int rows = static_cast<int>(e.blocks);
    const int cols = static_cast<int>(e.actions);
    plot::SetupCategories(e.action_names);
    // A table's logit set can serve several states; its name is cut to leave the cells room.
    std::vector<std::string> row_names;
    for (const std::string& name : e.block_names)
        row_names.push_back(plot::fit_text(name, 0.22f * size.x));
    plot::SetupRowNames(row_names);
    plot::SetupAxis(
        plot::Axis::kX,
        {.label = tokens ? "token" : "action", .min = -0.5, .max = std::max(cols, 1) - 0.5});
    plot::SetupAxis(plot::Axis::kY, {.label = by_position ? "position" : "logit set",
                                     .min = 0.5,
                                     .max = std::max(rows, 1) + 0.5});
    plot::SetupLegend(plot::LegendCorner::kOutsideSouth);
    const std::size_t cells = e.blocks * e.actions;
    if (e.probs_p50.size() != cells || cells == 0) {
        plot::PlotText(0.0, 0.5 * (rows + 1), "too many logits to draw one cell each",
                       plot::GetStyle().text_dim);
        plot::EndPlot();
        return;
    }
    std::vector<plot::Rgba> colors(cells);
    for (std::size_t k = 0; k < cells; ++k)
        colors[k] = cell_color(e.probs_p50[k]);
    plot::PlotCells("median probability", e.probs_p50.data(), colors.data(), rows, cols);
    // The numbers themselves where a cell has room for them, for a room reading the screen.
    const float font = ImGui::GetFontSize();
    const float cell_w = (size.x - 6.0f * font) / static_cast<float>(std::max(cols, 1));
    const float cell_h = (size.y - 5.0f * font) / static_cast<float>(std::max(rows, 1));
    if (cell_w >= 4.0f * font && cell_h >= 1.4f * font) {
        char text[16];
        for (std::size_t k = 0; k < cells; ++k) {
            std::snprintf(text, sizeof text, "%.2f", e.probs_p50[k]);
            plot::PlotText(static_cast<double>(k % e.actions),
                           static_cast<double>(k / e.actions) + 1.0, text,
                           number_color(e.probs_p50[k]));
        }
    }
    // Near the cell's left edge, clear of its number.
    std::vector<float> bx, by;
    for (std::size_t b = 0; b < e.best.size(); ++b)
        for (const std::uint32_t a : e.best[b]) {
            bx.push_back(static_cast<float>(a) - 0.38f);
            by.push_back(static_cast<float>(b + 1));
        }
    if (!bx.empty())
        plot::PlotScatter(tokens ? "best token" : "best action", bx.data(), by.data(),
                          static_cast<int>(bx.size()),
                          {.color = {0.93f, 0.27f, 0.47f, 1.0f},
                           .size = std::clamp(0.3f * cell_h, 3.0f, 0.45f * font),
                           .shape = plot::MarkerShape::kDiamond,
                           .outline_width = 1.5f,
                           .outline = plot::GetStyle().text});
    plot::EndPlot();
}

}  // namespace rl::app
