#include "app/views/plot_common.hpp"

#include <algorithm>

namespace rl::app {

bool begin_placed_plot(const char* id, const char* title, ImVec2 size,
                       std::vector<PlotPlacement>& placed) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (!plot::BeginPlot(id, title, size)) return false;
    placed.push_back({id, at, {at.x + size.x, at.y + size.y}});
    return true;
}

std::string action_label(const live::Results& r, std::size_t tracked) {
    const std::uint32_t a = r.tracked_actions[tracked];
    const std::string name =
        a < r.settings.actions.size() ? r.settings.actions[a].name : "action " + std::to_string(a);
    return name + "##" + std::to_string(a);
}

plot::Rgba action_color(std::size_t tracked) {
    return plot::PaletteColor(static_cast<int>(tracked));
}

plot::LineStyle action_line(std::size_t tracked) {
    const auto round = static_cast<int>(tracked) / std::max(plot::PaletteSize(), 1);
    return {.color = action_color(tracked), .dashed = round % 2 == 1};
}

plot::Rgba with_alpha(plot::Rgba c, float alpha) {
    c.a = alpha;
    return c;
}

}  // namespace rl::app
