#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "live/runner.hpp"
#include "plot/recording.hpp"

// The live plots. Each reads the published results and draws them with the plot module;
// none computes a statistic.
namespace rl::app {

// Where a plot was drawn this frame, in window pixels (the screenshot tests look there).
struct PlotPlacement {
    std::string name;
    ImVec2 min, max;
};

void draw_policy_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);
// An episode problem's policy (draw_policy_plot draws it for one): a heat map of logit sets by
// tokens, the best token per position marked.
void draw_position_policy_plot(const live::Results& r, ImVec2 size,
                               std::vector<PlotPlacement>& placed);
// An episode problem's credit strip: each token of run 0's latest sequence coloured by the weight
// its score got, with the full return, rewards-to-go and prefix-value weights beneath.
void draw_credit_strip_plot(const live::Results& r, ImVec2 size,
                            std::vector<PlotPlacement>& placed);
// A token sequence's SNR against its length: exact curves per credit and baseline, the run's
// own measured, the current T marked.
void draw_length_snr_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);
void draw_reward_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);
void draw_snr_plot(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed);
// The SNR plot's frame, axes and legend, for compare mode's SNR plot too. A non-empty `absent`
// says in the title why the current baseline has no curve.
bool begin_snr_plot(ImVec2 size, std::vector<PlotPlacement>& placed,
                    const std::string& absent = {});

// Compare mode draws two scatters side by side: each has its own id and name, and both share
// the axes' limits so their spreads compare by eye.
struct ScatterOptions {
    const char* id = "Gradient";
    std::string name;  // "A: none": a short title and labels; empty: the full ones
    bool legend = true;
    double x_min = std::numeric_limits<double>::quiet_NaN(), x_max = x_min;  // NaN: auto-fit
    double y_min = x_min, y_max = x_min;
};

// Turns the cloud's histogram into a texture for the screen (the window's GL density image).
// The headless export has none: its SVG embeds the CPU-coloured pixels instead.
class DensityTexture {
  public:
    virtual ~DensityTexture() = default;
    virtual void update(const std::uint32_t* counts, int bins_x, int bins_y) = 0;
    virtual ImTextureID texture() const = 0;
};
using DensityTextureFactory = std::function<std::unique_ptr<DensityTexture>()>;

// The scatter keeps the density image between frames and refreshes it when the cloud changes.
class ScatterPlot {
  public:
    explicit ScatterPlot(DensityTextureFactory make_texture = {});
    ~ScatterPlot();
    ScatterPlot(const ScatterPlot&) = delete;
    ScatterPlot& operator=(const ScatterPlot&) = delete;
    void draw(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed,
              const ScatterOptions& options = {});

  private:
    DensityTextureFactory m_make_texture;
    std::unique_ptr<DensityTexture> m_texture;
    // The same image coloured on the CPU, for SVG export; small (the histogram's bins).
    std::shared_ptr<const plot::ImagePixels> m_pixels;
    std::uint64_t m_density_version = 0;
    std::vector<double> m_strip_floor;  // zeros under a one-dimensional cloud's histogram
};

// Above this many estimates the scatter switches from markers to the density image.
inline constexpr std::size_t kMaxScatterMarkers = 4096;

}  // namespace rl::app
