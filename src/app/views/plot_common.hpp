#pragma once

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
plot::Rgba action_color(std::size_t tracked);
// An action's line: its colour, dashed on the palette's second round so no two lines look alike.
plot::LineStyle action_line(std::size_t tracked);
plot::Rgba with_alpha(plot::Rgba c, float alpha);

}  // namespace rl::app
