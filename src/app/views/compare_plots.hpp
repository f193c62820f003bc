#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "app/views/plots.hpp"
#include "live/runner.hpp"
#include "plot/fit.hpp"
#include "plot/plot.hpp"

// The plot grid of compare mode. Top row: the policy of A and B overlaid (A solid, B dashed),
// then A's and B's gradient scatters side by side on shared axes; bottom row: J of both, and the
// SNR with both current curves and both sets of measured points. Like the single plots they only
// draw what the two live sessions published.
namespace rl::app {

// "A: none", "B: rloo, K 2": which configuration, its baseline, and what else differs from the
// other one.
std::string config_name(char which, const live::Results& self, const live::Results& other);

// What tells A from B in every plot: a name with its baseline, a colour, and a line style.
struct ConfigStyle {
    std::string name;  // "A: none"
    plot::Rgba color;
    bool dashed = false;
    plot::MarkerShape marker = plot::MarkerShape::kCircle;
};

void draw_compare_policy_plot(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                              const ConfigStyle& sb, ImVec2 size,
                              std::vector<PlotPlacement>& placed);
void draw_compare_reward_plot(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                              const ConfigStyle& sb, ImVec2 size,
                              std::vector<PlotPlacement>& placed);
void draw_compare_snr_plot(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                           const ConfigStyle& sb, ImVec2 size, std::vector<PlotPlacement>& placed);

class ComparePlots {
  public:
    // `make_texture` gives each scatter its density texture (the window's GL image).
    explicit ComparePlots(const DensityTextureFactory& make_texture = {})
        : m_scatter_a(make_texture), m_scatter_b(make_texture) {}
    void draw(const live::Results& a, const live::Results& b, std::vector<PlotPlacement>& placed);

  private:
    // The two scatters' shared limits, with the plots' own hysteresis so they do not breathe.
    struct SharedView {
        plot::Range x, y;
        bool valid = false;
        int sparse_x = 0, sparse_y = 0;
    };
    void draw_scatters(const live::Results& a, const live::Results& b, const ConfigStyle& sa,
                       const ConfigStyle& sb, ImVec2 size, std::vector<PlotPlacement>& placed);

    ScatterPlot m_scatter_a, m_scatter_b;
    SharedView m_view;
};

}  // namespace rl::app
