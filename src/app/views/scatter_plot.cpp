#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "app/views/colormap.hpp"
#include "app/views/plot_common.hpp"
#include "app/views/plots.hpp"

namespace rl::app {

ScatterPlot::ScatterPlot(DensityTextureFactory make_texture)
    : m_make_texture(std::move(make_texture)) {}
ScatterPlot::~ScatterPlot() = default;

void ScatterPlot::draw(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed,
                       const ScatterOptions& options) {
    const engine::CloudResult& c = r.cloud;
    // A named scatter sits beside another in half the room: short title and labels.
    const bool named = !options.name.empty();
    char snr[160];
    if (c.snr_reason.empty()) {
        std::snprintf(snr, sizeof snr, "SNR %.2g", c.snr);
    } else {
        std::snprintf(snr, sizeof snr, "no SNR (%s)", c.snr_reason.c_str());
    }
    char title[300];
    if (!r.cloud_valid) {
        std::snprintf(title, sizeof title, "%s",
                      named ? options.name.c_str() : "Gradient estimates");
    } else if (named) {
        std::snprintf(title, sizeof title, "%s:  %s", options.name.c_str(), snr);
    } else {
        std::snprintf(title, sizeof title, "Gradient estimates, K = %d:  %s",
                      r.settings.estimator.K, snr);
    }
    if (!begin_placed_plot(options.id, title, size, placed)) return;
    char x_label[120];
    if (named) {
        std::snprintf(x_label, sizeof x_label, "along ∇J  (%.0f%% uphill)", 100.0 * c.uphill_share);
    } else {
        std::snprintf(x_label, sizeof x_label,
                      "along the true gradient  (%zu estimates, %.0f%% uphill)", c.x.size(),
                      100.0 * c.uphill_share);
    }
    plot::SetupAxis(plot::Axis::kX, {.label = r.cloud_valid ? x_label : "along the true gradient",
                                     .min = options.x_min,
                                     .max = options.x_max});
    plot::SetupAxis(plot::Axis::kY,
                    {.label = named ? "across ∇J, noisiest" : "across it: the noisiest direction",
                     .min = options.y_min,
                     .max = options.y_max});
    // The cloud can fill any corner, so the legend goes beside it.
    plot::SetupLegend(options.legend ? plot::LegendCorner::kOutsideEast
                                     : plot::LegendCorner::kNone);
    if (!r.cloud_valid) {
        plot::EndPlot();
        return;
    }
    const plot::PlotStyle& style = plot::GetStyle();
    const plot::Rgba cloud_color = plot::PaletteColor(0);

    if (c.x.size() <= kMaxScatterMarkers) {
        // Translucent markers, so where they pile up reads darker. Small squares look like dots
        // at this size and cost two triangles each, where a round marker costs about twenty.
        plot::PlotScatter("estimates", c.x.data(), c.y.data(), static_cast<int>(c.x.size()),
                          {.color = with_alpha(cloud_color, 0.35f),
                           .size = 2.0f,
                           .shape = plot::MarkerShape::kSquare});
    } else if (!c.histogram.counts.empty()) {
        if (!m_texture && m_make_texture) m_texture = m_make_texture();
        if (m_density_version != r.version || !m_pixels) {
            const engine::Histogram2D& h = c.histogram;
            if (m_texture) m_texture->update(h.counts.data(), h.bins_x, h.bins_y);
            auto pixels = std::make_shared<plot::ImagePixels>();
            pixels->width = h.bins_x;
            pixels->height = h.bins_y;
            pixels->rgba = density_rgba(h.counts.data(), h.bins_x, h.bins_y);
            // The counts in the image's row order (highest y first), for the CSV export.
            pixels->values.reserve(h.counts.size());
            for (int y = h.bins_y - 1; y >= 0; --y) {
                const auto row = h.counts.begin() + static_cast<std::ptrdiff_t>(y) * h.bins_x;
                pixels->values.insert(pixels->values.end(), row, row + h.bins_x);
            }
            m_pixels = std::move(pixels);
            m_density_version = r.version;
        }
        plot::PlotImage("estimates (density)", m_texture ? m_texture->texture() : ImTextureID{},
                        c.histogram.x_min, c.histogram.y_min, c.histogram.x_max, c.histogram.y_max,
                        m_pixels);
    }

    if (c.exact.closed_form) {
        const plot::Rgba ellipse = plot::PaletteColor(5);
        plot::PlotEllipse("exact 1σ, 2σ", c.exact_mean_x, c.exact_mean_y, c.exact_var_x,
                          c.exact_var_y, c.exact_cov_xy, 1.0, {.color = ellipse, .width = 2.0f});
        plot::PlotEllipse("exact 1σ, 2σ", c.exact_mean_x, c.exact_mean_y, c.exact_var_x,
                          c.exact_var_y, c.exact_cov_xy, 2.0,
                          {.color = ellipse, .width = 1.5f, .dashed = true, .in_legend = false});
    }
    plot::PlotMarker("their mean", c.mean_x, c.mean_y,
                     {.color = plot::PaletteColor(3),
                      .size = 5.0f,
                      .shape = plot::MarkerShape::kDiamond,
                      .outline = style.text});
    plot::PlotArrow("true gradient ∇J", 0.0, 0.0, c.true_x, c.true_y,
                    {.color = plot::PaletteColor(1), .width = 3.5f});
    if (r.highlight_valid)
        plot::PlotMarker("this step's g", r.highlight_x, r.highlight_y,
                         {.color = plot::PaletteColor(6),
                          .size = 7.0f,
                          .shape = plot::MarkerShape::kCircle,
                          .filled = false,
                          .outline_width = 3.0f,
                          .outline = plot::PaletteColor(6)});
    plot::PlotMarker("origin (no change)", 0.0, 0.0,
                     {.color = style.text,
                      .size = 6.0f,
                      .shape = plot::MarkerShape::kCross,
                      .in_legend = false});
    plot::EndPlot();
}

}  // namespace rl::app
