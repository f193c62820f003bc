#pragma once

#include <string>
#include <vector>

#include "app/export/exporter.hpp"
#include "app/views/plots.hpp"
#include "plot/recording.hpp"

// A plot's right-click menu: that plot as PNG, SVG or CSV, or the whole window as PNG.
namespace rl::app {

class PlotMenu {
  public:
    // Call inside the window that holds the plots, after drawing them. `page`: the colour the
    // plots sit on, painted behind an SVG.
    void draw(const std::vector<PlotPlacement>& placed, Exporter& exporter, plot::Rgba page);

  private:
    std::string m_plot;  // the plot whose menu is open
};

}  // namespace rl::app
