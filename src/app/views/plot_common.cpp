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

plot::Rgba action_color(std::size_t look) {
    return plot::PaletteColor(static_cast<int>(look));
}

plot::LineStyle action_line(std::size_t look) {
    const auto round = static_cast<int>(look) / std::max(plot::PaletteSize(), 1);
    return {.color = action_color(look), .dashed = round % 2 == 1};
}

std::vector<std::size_t> drawn_looks(std::span<const std::size_t> tracked, int palette_size) {
    const auto colours = static_cast<std::size_t>(std::max(palette_size, 1));
    std::vector<std::size_t> looks(tracked.begin(), tracked.end());
    if (tracked.size() > colours) return looks;  // colours must repeat: the rounds' dashes tell
    std::vector<std::size_t> order(tracked.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return tracked[a] < tracked[b]; });
    std::vector<bool> taken(colours, false);
    std::vector<bool> kept(tracked.size(), false);
    for (const std::size_t i : order) {
        if (taken[tracked[i] % colours]) continue;
        taken[tracked[i] % colours] = true;
        kept[i] = true;
    }
    for (const std::size_t i : order) {
        if (kept[i]) continue;
        std::size_t c = 0;
        while (taken[c])
            ++c;
        taken[c] = true;
        looks[i] = c;
    }
    return looks;
}

plot::Rgba with_alpha(plot::Rgba c, float alpha) {
    c.a = alpha;
    return c;
}

const std::vector<live::SnrPoint>& measured_snr_points(const live::Results& r) {
    return r.episodes.active ? r.episodes.snr_points : r.snr_measured;
}

}  // namespace rl::app
