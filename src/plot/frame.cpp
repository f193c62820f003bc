#include <algorithm>
#include <cmath>
#include <string>

#include "plot/internal.hpp"

// Everything around the data: background, grid, the axes box, ticks, labels and the title.
namespace rl::plot {
namespace {

// Minor ticks (log decades' 2..9) get a fainter grid and shorter marks.
constexpr float kMinorGridAlpha = 0.45f;
constexpr float kMinorTickShare = 0.55f;

bool inside_span(double p, double a, double b) {
    return p >= std::min(a, b) - 0.5 && p <= std::max(a, b) + 0.5;
}

}  // namespace

void emit_background(Context& ctx, const Layout& l, Recording& rec) {
    const PlotStyle& style = ctx.style;
    add_rect(rec, {0, 0, l.width, l.height}, style.background, true, 0);
    const float w = std::max(1.0f, std::round(l.scale));
    const Rgba minor = with_alpha(style.grid, style.grid.a * kMinorGridAlpha);
    for (const Tick& t : ctx.ticks[kAxisX].ticks) {
        const double p = l.tx.to_pixel(t.value);
        if (!std::isfinite(p) || !inside_span(p, l.area.x0, l.area.x1)) continue;
        const float x = std::clamp(pixel_centre(p), l.area.x0, l.area.x1);
        add_segment(rec, {x, l.area.y0}, {x, l.area.y1}, t.major ? style.grid : minor, w);
    }
    for (const Tick& t : ctx.ticks[kAxisY].ticks) {
        const double p = l.ty.to_pixel(t.value);
        if (!std::isfinite(p) || !inside_span(p, l.area.y0, l.area.y1)) continue;
        const float y = std::clamp(pixel_centre(p), l.area.y0, l.area.y1);
        add_segment(rec, {l.area.x0, y}, {l.area.x1, y}, t.major ? style.grid : minor, w);
    }
}

void emit_axes(Context& ctx, const Layout& l, Recording& rec) {
    const PlotStyle& style = ctx.style;
    const Box& a = l.area;
    const float w = std::max(1.0f, std::round(l.scale));
    add_rect(rec, a, style.frame, false, w);

    for (const Tick& t : ctx.ticks[kAxisX].ticks) {
        const double p = l.tx.to_pixel(t.value);
        if (!std::isfinite(p) || !inside_span(p, a.x0, a.x1)) continue;
        const float x = std::clamp(pixel_centre(p), a.x0, a.x1);
        const float len = t.major ? l.tick_length : l.tick_length * kMinorTickShare;
        add_segment(rec, {x, a.y1}, {x, a.y1 + len}, style.frame, w);
        if (t.labelled) {
            add_text(rec, {x + t.label_shift, a.y1 + l.tick_length + l.gap + t.label_row * l.font},
                     {0.5f, 0.0f}, ctx.ticks[kAxisX].label(t), style.text_dim, l.font);
            rec.primitives.back().expendable = true;
        }
    }
    for (const Tick& t : ctx.ticks[kAxisY].ticks) {
        const double p = l.ty.to_pixel(t.value);
        if (!std::isfinite(p) || !inside_span(p, a.y0, a.y1)) continue;
        const float y = std::clamp(pixel_centre(p), a.y0, a.y1);
        const float len = t.major ? l.tick_length : l.tick_length * kMinorTickShare;
        add_segment(rec, {a.x0 - len, y}, {a.x0, y}, style.frame, w);
        if (t.labelled) {
            add_text(rec, {a.x0 - l.tick_length - l.gap, y}, {1.0f, 0.5f},
                     ctx.ticks[kAxisY].label(t), style.text_dim, l.font);
            rec.primitives.back().expendable = true;
        }
    }

    // Labels and the title are cut to the room they have, so no text leaves its plot.
    const float inner_w = l.width - 2 * l.pad;
    if (!rec.x_label.empty()) {
        const std::string label = fit_text(rec.x_label, inner_w);
        const float half = 0.5f * ImGui::CalcTextSize(label.c_str()).x;
        const float centre = std::clamp(0.5f * (a.x0 + a.x1), l.pad + half, l.width - l.pad - half);
        // Under the tick labels; a legend under the plot goes below it.
        add_text(rec, {centre, a.y1 + l.tick_length + l.gap + l.x_tick_rows * l.font + l.gap},
                 {0.5f, 0.0f}, label, style.text, l.font);
    }
    if (!rec.y_label.empty()) {
        const std::string label = fit_text(rec.y_label, a.height());
        add_text(rec, {l.pad, 0.5f * (a.y0 + a.y1)}, {0.0f, 0.5f}, label, style.text, l.font);
        if (!label.empty()) rec.primitives.back().vertical = true;
    }
    if (!rec.title.empty()) {
        // Centred over the data area; a title wider than that starts at the left edge instead.
        const std::string title = fit_text(rec.title, inner_w);
        const float width = ImGui::CalcTextSize(title.c_str()).x;
        const float centre = 0.5f * (a.x0 + a.x1);
        const bool fits =
            centre - 0.5f * width >= l.pad && centre + 0.5f * width <= l.width - l.pad;
        add_text(rec, {fits ? centre : l.pad, l.pad}, {fits ? 0.5f : 0.0f, 0.0f}, title, style.text,
                 l.font);
        if (!title.empty()) rec.primitives.back().bold = true;
    }
}

}  // namespace rl::plot
