#include <algorithm>
#include <cmath>
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

namespace {

// Piles are named only where every action is drawn under its own index and colour.
constexpr int kMaxNamedPiles = static_cast<int>(live::kMaxPiles);

// "trattoria sampled": the pile of the estimates that sampled this action.
std::string pile_label(const live::Results& r, std::size_t action) {
    const std::string name = action < r.settings.actions.size()
                                 ? r.settings.actions[action].name
                                 : "action " + std::to_string(action);
    return name + " sampled##pile" + std::to_string(action);
}

// Two actions (or one free logit): the estimates lie on the true gradient's line, so their
// histogram along it, with the exact mean and spread as vertical lines.
// `zeros`: the band's floor, kept by the caller so a frame allocates nothing.
void draw_strip(const live::Results& r, const char* id, const char* title, ImVec2 size,
                std::vector<PlotPlacement>& placed, std::vector<double>& zeros) {
    if (!begin_placed_plot(id, title, size, placed)) return;
    const engine::CloudResult& c = r.cloud;
    char x_label[160];
    std::snprintf(x_label, sizeof x_label,
                  "along the true gradient, the only direction  (%zu estimates, %.0f%% uphill)",
                  c.x.size(), 100.0 * c.uphill_share);
    plot::SetupAxis(plot::Axis::kX, {.label = x_label});
    plot::SetupAxis(plot::Axis::kY,
                    {.label = "share of estimates", .include_zero = true, .percent = true});
    plot::SetupLegend(plot::LegendCorner::kOutsideEast);
    zeros.assign(r.strip.x.size(), 0.0);
    const plot::Rgba cloud_color = plot::PaletteColor(0);
    plot::PlotBand("estimates", r.strip.x.data(), zeros.data(), r.strip.share.data(),
                   static_cast<int>(r.strip.x.size()), with_alpha(cloud_color, 0.55f));
    // The outline too: a pile in a single bin is a spike too thin to fill.
    plot::PlotLine("estimates", r.strip.x.data(), r.strip.share.data(),
                   static_cast<int>(r.strip.x.size()), {.color = cloud_color, .width = 2.0f});
    // Episodes have no exact variance along the axis: their lines are measured.
    if (c.exact.closed_form || !c.exact_on_axes) {
        const plot::Rgba ellipse = plot::PaletteColor(5);
        const bool exact = c.exact_on_axes;
        const double sd = std::sqrt(std::max(exact ? c.exact_var_x : c.measured_var_x, 0.0));
        const double centre = exact ? c.exact_mean_x : c.mean_x;
        for (int k = -2; k <= 2; ++k) {
            if (k == 0) continue;
            plot::PlotVLine(exact ? "exact ±1σ, ±2σ" : "measured ±1σ, ±2σ", centre + k * sd,
                            {.color = ellipse,
                             .width = std::abs(k) == 1 ? 2.0f : 1.5f,
                             .dashed = std::abs(k) == 2});
        }
    }
    plot::PlotVLine("their mean", c.mean_x, {.color = plot::PaletteColor(3), .width = 2.5f});
    plot::PlotVLine("true gradient ∇J", c.true_x,
                    {.color = plot::PaletteColor(1), .width = 3.0f, .dashed = true});
    plot::PlotVLine("origin (no change)", 0.0,
                    {.color = plot::GetStyle().text, .width = 1.5f, .in_legend = false});
    plot::EndPlot();
}

}  // namespace

void ScatterPlot::draw(const live::Results& r, ImVec2 size, std::vector<PlotPlacement>& placed,
                       const ScatterOptions& options) {
    const engine::CloudResult& c = r.cloud;
    // A named scatter sits beside another in half the room: short title and labels.
    const bool named = !options.name.empty();
    char snr[160];
    // Exactly noise-free (b* with two actions): the measured ratio is only rounding error.
    const bool noise_free =
        std::any_of(r.snr_exact.begin(), r.snr_exact.end(), [&](const live::SnrCurve& curve) {
            return curve.noise_free && curve.baseline == r.settings.estimator.baseline;
        });
    if (noise_free) {
        std::snprintf(snr, sizeof snr, "SNR ∞ (exact: no noise)");
    } else if (c.snr_reason.empty()) {
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
    if (r.strip.valid) {
        draw_strip(r, options.id, title, size, placed, m_strip_floor);
        return;
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
    // A lesson step holds the axes that fit its ellipse and the step before's, so a change in
    // spread is a change in size; limits the caller gives (compare mode) come first.
    const bool held = r.before.valid && std::isnan(options.x_min) && std::isnan(options.y_min);
    plot::SetupAxis(plot::Axis::kX, {.label = r.cloud_valid ? x_label : "along the true gradient",
                                     .min = held ? r.before.x_min : options.x_min,
                                     .max = held ? r.before.x_max : options.x_max});
    plot::SetupAxis(plot::Axis::kY,
                    {.label = named ? "across ∇J, noisiest" : "across it: the noisiest direction",
                     .min = held ? r.before.y_min : options.y_min,
                     .max = held ? r.before.y_max : options.y_max});
    // The cloud can fill any corner, so the legend goes beside it.
    plot::SetupLegend(options.legend ? plot::LegendCorner::kOutsideEast
                                     : plot::LegendCorner::kNone);
    if (!r.cloud_valid) {
        plot::EndPlot();
        return;
    }
    const plot::PlotStyle& style = plot::GetStyle();
    const plot::Rgba cloud_color = plot::PaletteColor(0);

    if (r.piles.valid) {
        // A few distinct estimates (one sample per step, fixed rewards): one dot per pile, its
        // area proportional to its share, large enough to see from the back of a room.
        // Short, so the legend stays beside the cloud: the hover reads out each pile.
        // A pile the live model could name takes its action's colour and name, as the lessons
        // speak of "the trattoria's pile"; the others share the cloud's colour.
        bool unnamed_in_legend = false;
        for (const live::CloudPile& p : r.piles.piles) {
            const bool named_pile =
                p.action >= 0 && p.action < kMaxNamedPiles && r.policy_top.empty();
            const std::string label = named_pile ? pile_label(r, static_cast<std::size_t>(p.action))
                                                 : "estimates (piles)";
            const plot::Rgba color =
                named_pile ? action_color(static_cast<std::size_t>(p.action)) : cloud_color;
            plot::PlotMarker(label.c_str(), p.x, p.y,
                             {.color = with_alpha(color, 0.85f),
                              .size = static_cast<float>(3.0 + 9.0 * std::sqrt(p.share)),
                              .outline = style.text,
                              .in_legend = named_pile || !unnamed_in_legend});
            unnamed_in_legend = unnamed_in_legend || !named_pile;
        }
    } else if (c.x.size() <= kMaxScatterMarkers) {
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

    if (held) {
        // The step before's ellipses, faint, for before and after.
        const std::string label = "before (" + r.before.label + ")";
        const plot::Rgba ghost = with_alpha(plot::GetStyle().text_dim, 0.7f);
        for (const double n_sigma : {1.0, 2.0})
            plot::PlotEllipse(label.c_str(), r.before.mean_x, r.before.mean_y, r.before.var_x,
                              r.before.var_y, r.before.cov_xy, n_sigma,
                              {.color = ghost,
                               .width = 1.5f,
                               .dashed = true,
                               .dash = 2.0f,
                               .gap = 3.0f,
                               .in_legend = n_sigma == 1.0});
    }
    if (!c.exact_on_axes) {
        // Episodes: the exact side has no covariance on these axes, so the ellipse is measured.
        const plot::Rgba ellipse = plot::PaletteColor(5);
        for (const double n_sigma : {1.0, 2.0})
            plot::PlotEllipse("measured 1σ, 2σ", c.mean_x, c.mean_y, c.measured_var_x,
                              c.measured_var_y, c.measured_cov_xy, n_sigma,
                              {.color = ellipse,
                               .width = n_sigma == 1.0 ? 2.0f : 1.5f,
                               .dashed = n_sigma == 2.0,
                               .in_legend = n_sigma == 1.0});
    } else if (c.exact.closed_form) {
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
