#pragma once

#include <imgui.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "live/live_session.hpp"

// The four live plots. Each reads the published results and draws them with the plot module;
// none computes a statistic.
namespace rl::app {

class DensityImage;

// Where a plot was drawn this frame, in window pixels (the screenshot tests look there).
struct PlotPlacement {
    std::string name;
    ImVec2 min, max;
};

void draw_policy_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);
void draw_reward_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);
void draw_snr_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);

// The scatter keeps the density texture between frames and refreshes it when the cloud changes.
class ScatterPlot {
  public:
    ScatterPlot();
    ~ScatterPlot();
    void draw(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);

  private:
    std::unique_ptr<DensityImage> m_density;
    std::uint64_t m_density_version = 0;
};

// Above this many estimates the scatter switches from markers to the density image.
inline constexpr std::size_t kMaxScatterMarkers = 4096;

}  // namespace rl::app
