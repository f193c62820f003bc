#pragma once

#include <span>
#include <string>
#include <vector>

#include "app/views/plots.hpp"
#include "plot/plot.hpp"

// What the four plot files share: placement bookkeeping and the colours of actions and baselines,
// so an action has one colour in every plot.
namespace rl::app {

// plot::BeginPlot that also notes where the plot went.
bool begin_placed_plot(const char* id, const char* title, ImVec2 size,
                       std::vector<PlotPlacement>& placed);

// The tracked action's name, made unique for the legend ("yes##3").
std::string action_label(const live::Results& r, std::size_t tracked);
// An action's look is a palette colour and, past the palette's first round, every other round
// dashed. Most plots draw every action and give action t look t.
plot::Rgba action_color(std::size_t look);
plot::LineStyle action_line(std::size_t look);
// The looks of a subset of the tracked actions (vocabulary mode draws the few most likely): each
// keeps look t unless an action with a lower index already took that colour, and then takes the
// first colour no drawn action has, so up to a palette's worth of series never share a colour.
std::vector<std::size_t> drawn_looks(std::span<const std::size_t> tracked, int palette_size);
plot::Rgba with_alpha(plot::Rgba c, float alpha);
// The SNR plot's measured points: an episode problem's own, else the bandit probe's.
const std::vector<live::SnrPoint>& measured_snr_points(const live::Results& r);

}  // namespace rl::app
