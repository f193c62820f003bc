#include "app/views/compare_plots.hpp"

#include <cmath>

#include "app/views/baseline_style.hpp"
#include "core/compare_settings.hpp"

namespace rl::app {

std::string config_name(char which, const live::Results& self, const live::Results& other) {
    return std::string(1, which) + ": " +
           core::compare_label(self.settings.estimator, other.settings.estimator);
}

namespace {

// The share of the width the left column (policy over J) takes.
constexpr float kLeftColumnShare = 0.3f;
// Below these sizes, in font heights, five plots are too cramped to read (large type on a small
// screen): the policy plot gives way, as J shows the learning too.
constexpr float kMinLeftColumn = 16.0f;
constexpr float kMinCloudWidth = 10.0f;
// The compact layout's bottom row: J's share beside the SNR.
constexpr float kCompactRewardShare = 0.42f;

// A and B keep their baselines' colours, as in the single plots; a B with A's baseline takes
// another colour, so the two never look alike.
ConfigStyle style_of(char which, const live::Results& self, const live::Results& other) {
    const core::BaselineKind own = self.settings.estimator.baseline;
    const bool b = which == 'B';
    const bool same = own == other.settings.estimator.baseline;
    return {
        .name = config_name(which, self, other),
        .color = b && same ? plot::PaletteColor(static_cast<int>(own) + 3) : baseline_color(own),
        .dashed = b,
        .marker = b ? plot::MarkerShape::kSquare : plot::MarkerShape::kCircle};
}

void add_cloud(const live::Results& r, plot::Extent& x, plot::Extent& y) {
    if (!r.cloud_valid) return;
    // The histogram's limits are the engine's bulk of the cloud, with the origin and the true
    // gradient's tip inside.
    const engine::Histogram2D& h = r.cloud.histogram;
    x.add(h.x_min, false);
    x.add(h.x_max, false);
    y.add(h.y_min, false);
    y.add(h.y_max, false);
}

// About the width the scatter's legend takes beside it (plot/layout's legend_width).
float scatter_legend_width() {
    const float font = ImGui::GetFontSize();
    const float pad = plot::GetStyle().padding * plot::GetStyle().scale;
    return ImGui::CalcTextSize("estimates (density)").x + 1.6f * font + 5.0f * pad;
}

}  // namespace

void ComparePlots::draw(const live::Results& a, const live::Results& b,
                        std::vector<PlotPlacement>& placed) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
    const float row = (avail.y - gap.y) * 0.5f;
    const float unit = ImGui::GetFontSize();
    float left = std::floor((avail.x - gap.x) * kLeftColumnShare);
    float right = avail.x - gap.x - left;
    if (left < 40.0f || row < 40.0f) return;
    const ConfigStyle sa = style_of('A', a, b), sb = style_of('B', b, a);

    const float cloud = (right - gap.x - scatter_legend_width()) * 0.5f;
    if (left >= unit * kMinLeftColumn && cloud >= unit * kMinCloudWidth) {
        draw_compare_policy_plot(a, b, sa, sb, {left, row}, placed);
        ImGui::SameLine(0.0f, gap.x);
        draw_scatters(a, b, sa, sb, {right, row}, placed);
    } else {
        draw_scatters(a, b, sa, sb, {avail.x, row}, placed);
        left = std::floor((avail.x - gap.x) * kCompactRewardShare);
        right = avail.x - gap.x - left;
    }
    draw_compare_reward_plot(a, b, sa, sb, {left, row}, placed);
    ImGui::SameLine(0.0f, gap.x);
    draw_compare_snr_plot(a, b, sa, sb, {right, row}, placed);
}

void ComparePlots::draw_scatters(const live::Results& a, const live::Results& b,
                                 const ConfigStyle& sa, const ConfigStyle& sb, ImVec2 size,
                                 std::vector<PlotPlacement>& placed) {
    plot::Extent x, y;
    add_cloud(a, x, y);
    add_cloud(b, x, y);
    ScatterOptions oa{.id = "Gradient A", .name = sa.name, .legend = false};
    ScatterOptions ob{.id = "Gradient B", .name = sb.name, .legend = true};
    if (!x.empty() && !y.empty()) {
        m_view.x = plot::auto_view(m_view.valid ? &m_view.x : nullptr, x, {}, m_view.sparse_x);
        m_view.y = plot::auto_view(m_view.valid ? &m_view.y : nullptr, y, {}, m_view.sparse_y);
        m_view.valid = true;
        oa.x_min = ob.x_min = m_view.x.min;
        oa.x_max = ob.x_max = m_view.x.max;
        oa.y_min = ob.y_min = m_view.y.min;
        oa.y_max = ob.y_max = m_view.y.max;
    }
    // Only B's has a legend (it serves both), so B's cell is wider by it and the two clouds get
    // the same room.
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float legend = scatter_legend_width();
    const float cloud = std::floor((size.x - gap - legend) * 0.5f);
    m_scatter_a.draw(a, {cloud, size.y}, placed, oa);
    ImGui::SameLine(0.0f, gap);
    m_scatter_b.draw(b, {size.x - gap - cloud, size.y}, placed, ob);
}

}  // namespace rl::app
