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

void swatch(Context& ctx, const Layout& l, Recording& rec, const Series& s, Box box, bool hidden) {
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
            p.size = std::min(s.marker_size, 0.35f * l.font);
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
            const float half = 0.35f * l.font;
            add_rect(rec, {box.x0 + l.scale, cy - half, box.x1 - l.scale, cy + half},
                     hidden ? dim : fill, true, 0);
            return;
        }
        default: {
            add_segment(rec, {box.x0, cy}, {box.x1, cy}, hidden ? dim : s.color,
                        std::min(s.width, 3.0f * l.scale));
            if (s.dashed) set_dashes(rec.primitives.back(), l.scale);
            return;
        }
    }
}

}  // namespace

float legend_width(const Recording& rec, float font, float pad, float gap) {
    float widest = 0;
    bool any = false;
    for (const Series& s : rec.series) {
        if (!listed(rec, s)) continue;
        const std::string_view name = rec.label(s);
        widest = std::max(widest, ImGui::CalcTextSize(name.data(), name.data() + name.size()).x);
        any = true;
    }
    return any ? 2 * pad + 1.6f * font + 2 * gap + widest : 0.0f;
}

void emit_legend(Context& ctx, const Layout& l, Recording& rec) {
    rec.legend.clear();
    if (ctx.legend == LegendCorner::kNone) return;
    float widest = 0;
    for (std::size_t i = 0; i < rec.series.size(); ++i) {
        const Series& s = rec.series[i];
        if (!listed(rec, s)) continue;
        const ImGuiID hash = label_hash(rec.full_label(s));
        const bool seen =
            std::any_of(rec.legend.begin(), rec.legend.end(), [&](const LegendEntry& e) {
                return label_hash(rec.full_label(rec.series[static_cast<std::size_t>(e.series)])) ==
                       hash;
            });
        if (seen) continue;
        rec.legend.push_back({static_cast<int>(i), {}, s.hidden});
        const std::string_view name = rec.label(s);
        widest = std::max(widest, ImGui::CalcTextSize(name.data(), name.data() + name.size()).x);
    }
    if (rec.legend.empty()) return;

    const float inner = l.pad;
    const float row = l.font + 3.0f * l.scale;
    const float swatch_w = 1.6f * l.font;
    const float w = 2 * inner + swatch_w + 2 * l.gap + widest;
    const float h = 2 * inner + row * static_cast<float>(rec.legend.size());
    const bool east =
        ctx.legend == LegendCorner::kNorthEast || ctx.legend == LegendCorner::kSouthEast;
    const bool south =
        ctx.legend == LegendCorner::kSouthWest || ctx.legend == LegendCorner::kSouthEast;
    const bool outside = ctx.legend == LegendCorner::kOutsideEast;
    const float x0 = std::floor(outside ? l.area.x1 + l.pad
                                        : (east ? l.area.x1 - l.pad - w : l.area.x0 + l.pad));
    const float y0 = std::floor(south ? l.area.y1 - l.pad - h : l.area.y0 + (outside ? 0 : l.pad));
    const Box box{x0, y0, x0 + std::floor(w), y0 + std::floor(h)};
    add_rect(rec, box, ctx.style.legend_background, true, 0);
    add_rect(rec, box, with_alpha(ctx.style.frame, 0.6f * ctx.style.frame.a), false,
             std::max(1.0f, std::round(l.scale)));

    for (std::size_t k = 0; k < rec.legend.size(); ++k) {
        LegendEntry& e = rec.legend[k];
        const Series& s = rec.series[static_cast<std::size_t>(e.series)];
        const float ry = y0 + inner + row * static_cast<float>(k);
        e.box = {box.x0, ry, box.x1, ry + row};
        const Box sw{box.x0 + inner, ry, box.x0 + inner + swatch_w, ry + row};
        // Every series with this label adds its mark, so a band under its line shows as both.
        const ImGuiID hash = label_hash(rec.full_label(s));
        for (std::size_t i = static_cast<std::size_t>(e.series); i < rec.series.size(); ++i) {
            const Series& other = rec.series[i];
            if (listed(rec, other) && label_hash(rec.full_label(other)) == hash)
                swatch(ctx, l, rec, other, sw, e.hidden);
        }
        add_text(rec, {sw.x1 + 2 * l.gap, ry + 0.5f * row}, {0.0f, 0.5f}, rec.label(s),
                 e.hidden ? ctx.style.text_dim : ctx.style.text, l.font);
    }
}

}  // namespace rl::plot
