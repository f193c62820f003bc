#include <algorithm>

#include "plot/internal.hpp"

// The legend: one row per distinct label, with a swatch drawn like the series. Series sharing a
// label (a line and its band) share a row, and a click on it hides them together.
namespace rl::plot {
namespace {

constexpr float kHiddenSwatchAlpha = 0.35f;
// A band's fill is usually faint; its swatch needs more ink to be recognised.
constexpr float kMinFillSwatchAlpha = 0.45f;

bool listed(const Recording& rec, const Series& s) {
    return s.in_legend && s.kind != SeriesKind::kText && !rec.label(s).empty();
}

void swatch(Context& ctx, const Layout& l, float font, Recording& rec, const Series& s, Box box,
            bool hidden) {
    const float cy = 0.5f * (box.y0 + box.y1);
    const Rgba dim = with_alpha(ctx.style.text_dim, kHiddenSwatchAlpha);
    switch (s.kind) {
        case SeriesKind::kScatter:
        case SeriesKind::kMarker: {
            Primitive& p = rec.add_primitive(PrimitiveKind::kMarkers);
            p.glyph = s.glyph;
            p.filled = s.marker_filled;
            p.color = hidden ? dim : s.color;
            p.outline = hidden ? Rgba{0, 0, 0, 0} : s.outline;
            p.width = s.width;
            p.size = std::min(s.marker_size, 0.35f * font);
            p.first = static_cast<std::uint32_t>(rec.points.size());
            p.count = 1;
            rec.points.push_back({0.5f * (box.x0 + box.x1), cy});
            return;
        }
        case SeriesKind::kBand:
        case SeriesKind::kBars:
        case SeriesKind::kImage: {
            Rgba fill = s.color;
            fill.a = std::max(fill.a, kMinFillSwatchAlpha);
            const float half = 0.35f * font;
            add_rect(rec, {box.x0 + l.scale, cy - half, box.x1 - l.scale, cy + half},
                     hidden ? dim : fill, true, 0);
            return;
        }
        default: {
            add_segment(rec, {box.x0, cy}, {box.x1, cy}, hidden ? dim : s.color,
                        std::min(s.width, 3.0f * l.scale));
            if (s.dashed) set_dashes(rec.primitives.back(), l.scale, &s);
            return;
        }
    }
}

// Each distinct label's first series, in drawing order: one legend row each.
void legend_series(const Recording& rec, std::vector<int>& out) {
    out.clear();
    for (std::size_t i = 0; i < rec.series.size(); ++i) {
        const Series& s = rec.series[i];
        if (!listed(rec, s)) continue;
        const ImGuiID hash = label_hash(rec.full_label(s));
        const bool seen = std::any_of(out.begin(), out.end(), [&](int e) {
            return label_hash(rec.full_label(rec.series[static_cast<std::size_t>(e)])) == hash;
        });
        if (!seen) out.push_back(static_cast<int>(i));
    }
}

float name_width(const Recording& rec, int series) {
    const std::string_view name = rec.label(rec.series[static_cast<std::size_t>(series)]);
    return ImGui::CalcTextSize(name.data(), name.data() + name.size()).x;
}

}  // namespace

LegendMetrics measure_legend(const Recording& rec, const Layout& l, float text_scale,
                             std::vector<int>& entries) {
    legend_series(rec, entries);
    LegendMetrics m;
    m.entries = static_cast<int>(entries.size());
    if (m.entries == 0) return m;
    m.font = l.font * text_scale;
    m.row = m.font + 3.0f * l.scale;
    m.swatch = 1.6f * m.font;
    // A name longer than this is cut: the legend may take at most about half the widget.
    m.max_text = std::max(0.45f * l.width - 2 * l.pad - m.swatch - 2 * l.gap, 3.0f * m.font);
    float widest = 0;
    for (int e : entries)
        widest = std::max(widest, std::min(text_scale * name_width(rec, e), m.max_text));
    m.column_w = 2 * l.pad + m.swatch + 2 * l.gap + widest;
    m.column_h = 2 * l.pad + m.row * static_cast<float>(m.entries);
    // Under the plot the entries flow in rows across the widget.
    const float room = l.width - 2 * l.pad - 2 * l.pad;
    m.flow_text = std::max(room - m.swatch - 3 * l.gap, 0.0f);
    float x = 0;
    int rows = 1;
    for (int e : entries) {
        const float w =
            m.swatch + 2 * l.gap + std::min(text_scale * name_width(rec, e), m.flow_text) + m.font;
        if (x > 0 && x + w > room) {
            ++rows;
            x = 0;
        }
        x += w;
    }
    m.flow_h = 2 * l.pad + m.row * static_cast<float>(rows);
    return m;
}

void emit_legend(Context& ctx, const Layout& l, Recording& rec) {
    rec.legend.clear();
    if (l.legend == LegendCorner::kNone) return;
    // The rows compute_layout measured.
    const std::vector<int>& entries = ctx.legend_scratch;
    const LegendMetrics& m = l.legend_size;
    if (m.entries == 0) return;
    for (int e : entries)
        rec.legend.push_back({e, {}, rec.series[static_cast<std::size_t>(e)].hidden});

    const float inner = l.pad;
    const bool flow = l.legend == LegendCorner::kOutsideSouth;
    const float w = flow ? l.width - 2 * l.pad : m.column_w;
    const float h = flow ? m.flow_h : m.column_h;
    const bool east = l.legend == LegendCorner::kNorthEast || l.legend == LegendCorner::kSouthEast;
    const bool south = l.legend == LegendCorner::kSouthWest || l.legend == LegendCorner::kSouthEast;
    const bool outside = l.legend == LegendCorner::kOutsideEast;
    float x0 = std::floor(outside ? l.area.x1 + l.pad
                                  : (east ? l.area.x1 - l.pad - w : l.area.x0 + l.pad));
    float y0 = std::floor(south ? l.area.y1 - l.pad - h : l.area.y0 + (outside ? 0 : l.pad));
    if (flow) {
        x0 = l.pad;
        y0 = std::floor(l.height - l.pad - h);
    }
    const Box box{x0, y0, x0 + std::floor(w), y0 + std::floor(h)};
    add_rect(rec, box, ctx.style.legend_background, true, 0);
    add_rect(rec, box, with_alpha(ctx.style.frame, 0.6f * ctx.style.frame.a), false,
             std::max(1.0f, std::round(l.scale)));

    const float max_text = flow ? m.flow_text : m.max_text;
    float fx = box.x0 + inner, fy = box.y0 + inner;
    for (std::size_t k = 0; k < rec.legend.size(); ++k) {
        LegendEntry& e = rec.legend[k];
        const Series& s = rec.series[static_cast<std::size_t>(e.series)];
        // Measured in ImGui's font, drawn at the legend's (smaller, when it had to shrink).
        const float ratio = m.font / l.font;
        const std::string name = fit_text(rec.label(s), max_text / ratio);
        const float text_w = ratio * ImGui::CalcTextSize(name.c_str()).x;
        float rx = box.x0 + inner;
        float ry = box.y0 + inner + m.row * static_cast<float>(k);
        if (flow) {
            const float entry_w = m.swatch + 2 * l.gap + text_w + m.font;
            if (fx > box.x0 + inner && fx + entry_w > box.x1 - inner) {
                fx = box.x0 + inner;
                fy += m.row;
            }
            rx = fx;
            ry = fy;
            fx += entry_w;
            e.box = {rx, ry, rx + entry_w - m.font, ry + m.row};
        } else {
            e.box = {box.x0, ry, box.x1, ry + m.row};
        }
        const Box sw{rx, ry, rx + m.swatch, ry + m.row};
        // Every series with this label adds its mark, so a band under its line shows as both.
        const ImGuiID hash = label_hash(rec.full_label(s));
        for (std::size_t i = static_cast<std::size_t>(e.series); i < rec.series.size(); ++i) {
            const Series& other = rec.series[i];
            if (listed(rec, other) && label_hash(rec.full_label(other)) == hash)
                swatch(ctx, l, m.font, rec, other, sw, e.hidden);
        }
        add_text(rec, {sw.x1 + 2 * l.gap, ry + 0.5f * m.row}, {0.0f, 0.5f}, name,
                 e.hidden ? ctx.style.text_dim : ctx.style.text, m.font);
    }
}

}  // namespace rl::plot
