#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "plot/clip.hpp"
#include "plot/internal.hpp"

// Series to primitives: getter -> transform to pixels -> decimate -> clip to the data area ->
// record. Only finite, clipped coordinates reach the recording (and so the draw list).
namespace rl::plot {
namespace {

// Decimate when there are more than this many points per pixel column.
constexpr double kDecimateAbove = 2.0;

Point to_point(DPoint p) {
    return {static_cast<float>(p.x), static_cast<float>(p.y)};
}

class SeriesEmitter {
  public:
    SeriesEmitter(Context& ctx, const Layout& l, Recording& rec) : m_ctx(ctx), m_l(l), m_rec(rec) {}

    void emit(int index) {
        const Series& s = m_rec.series[static_cast<std::size_t>(index)];
        if (s.hidden) return;
        switch (s.kind) {
            case SeriesKind::kLine:
                line(index, s, true);
                break;
            case SeriesKind::kEllipse:
                line(index, s, false);
                break;
            case SeriesKind::kBand:
                band(index, s);
                break;
            case SeriesKind::kScatter:
            case SeriesKind::kMarker:
                markers(index, s);
                break;
            case SeriesKind::kBars:
                bars(index, s);
                break;
            case SeriesKind::kArrow:
                arrow(index, s);
                break;
            case SeriesKind::kHLine:
            case SeriesKind::kVLine:
                reference_line(index, s);
                break;
            case SeriesKind::kImage:
                image(index, s);
                break;
            case SeriesKind::kText:
                text(index, s);
                break;
            case SeriesKind::kCells:
                cells(index, s);
                break;
        }
    }

  private:
    DPoint pixel(double x, double y) const { return {m_l.tx.to_pixel(x), m_l.ty.to_pixel(y)}; }

    bool should_decimate(std::size_t n) const {
        return static_cast<double>(n) > kDecimateAbove * std::max(1.0f, m_l.area.width());
    }

    // Records the pieces that clip_polyline left in the context's scratch.
    void record_pieces(int index, const Series& s) {
        std::size_t offset = 0;
        for (const std::uint32_t size : m_ctx.piece_sizes) {
            Primitive& p = m_rec.add_primitive(PrimitiveKind::kPolyline, index);
            p.color = s.color;
            p.width = s.width;
            if (s.dashed) set_dashes(p, m_l.scale, &s);
            p.first = static_cast<std::uint32_t>(m_rec.points.size());
            p.count = size;
            for (std::uint32_t k = 0; k < size; ++k)
                m_rec.points.push_back(to_point(m_ctx.clipped[offset + k]));
            offset += size;
        }
    }

    void polyline(int index, const Series& s, std::span<const DPoint> pixels) {
        m_ctx.clipped.clear();
        m_ctx.piece_sizes.clear();
        clip_polyline(m_l.clip, pixels, m_ctx.clipped, m_ctx.piece_sizes);
        record_pieces(index, s);
    }

    void line(int index, const Series& s, bool may_decimate) {
        const auto xs = m_rec.xs(s);
        const auto ys = m_rec.ys(s);
        auto& px = m_ctx.pixels;
        px.clear();
        for (std::size_t k = 0; k < xs.size(); ++k) {
            const DPoint p = pixel(xs[k], ys[k]);
            px.push_back(is_finite(p) ? p : break_point());
        }
        std::span<const DPoint> src = px;
        if (may_decimate && should_decimate(px.size())) {
            m_ctx.decimated.clear();
            decimate_line(px, m_ctx.decimated);
            src = m_ctx.decimated;
        }
        polyline(index, s, src);
    }

    void band(int index, const Series& s) {
        const auto xs = m_rec.xs(s);
        const auto lo = m_rec.los(s);
        const auto hi = m_rec.his(s);
        const double nan = break_point().x;
        auto& pts = m_ctx.band;
        pts.clear();
        for (std::size_t k = 0; k < xs.size(); ++k) {
            const double x = m_l.tx.to_pixel(xs[k]);
            const double a = m_l.ty.to_pixel(lo[k]);
            const double b = m_l.ty.to_pixel(hi[k]);
            if (std::isfinite(x) && std::isfinite(a) && std::isfinite(b)) {
                pts.push_back({x, std::min(a, b), std::max(a, b)});
            } else {
                pts.push_back({nan, nan, nan});
            }
        }
        std::span<const BandPoint> src = pts;
        if (should_decimate(pts.size())) {
            m_ctx.band_decimated.clear();
            decimate_band(pts, m_ctx.band_decimated);
            src = m_ctx.band_decimated;
        }
        const auto first_point = static_cast<std::uint32_t>(m_rec.points.size());
        const auto first_polygon = static_cast<std::uint32_t>(m_rec.polygon_sizes.size());
        for (std::size_t k = 1; k < src.size(); ++k) {
            const BandPoint& p = src[k - 1];
            const BandPoint& q = src[k];
            if (!std::isfinite(p.x) || !std::isfinite(q.x) || p.x == q.x) continue;
            // With a <= b at both ends and distinct x this trapezoid is convex.
            const DPoint quad[4] = {{p.x, p.a}, {q.x, q.a}, {q.x, q.b}, {p.x, p.b}};
            m_ctx.clipped.clear();
            const std::size_t n = clip_convex_polygon(m_l.clip, quad, m_ctx.clipped);
            if (n == 0) continue;
            for (std::size_t i = 0; i < n; ++i)
                m_rec.points.push_back(to_point(m_ctx.clipped[i]));
            m_rec.polygon_sizes.push_back(static_cast<std::uint32_t>(n));
        }
        const auto polygons =
            static_cast<std::uint32_t>(m_rec.polygon_sizes.size()) - first_polygon;
        if (polygons == 0) return;
        Primitive& p = m_rec.add_primitive(PrimitiveKind::kFill, index);
        p.color = s.color;
        p.filled = true;
        p.first = first_point;
        p.count = static_cast<std::uint32_t>(m_rec.points.size()) - first_point;
        p.first_polygon = first_polygon;
        p.polygon_count = polygons;
    }

    void markers(int index, const Series& s) {
        const auto xs = m_rec.xs(s);
        const auto ys = m_rec.ys(s);
        // Markers whose centre is just outside still show a part; the clip rect trims them.
        const DRect cull = m_l.clip.expanded(s.marker_size + s.width);
        const auto first = static_cast<std::uint32_t>(m_rec.points.size());
        // Thousands of estimates often land on a few pixels (K = 1 has only N distinct values).
        // Past the stack depth at which translucent markers look solid, more add triangles but
        // nothing visible, so each pixel takes at most that many.
        const float alpha = std::clamp(s.color.a, 0.01f, 1.0f);
        const int max_stack =
            alpha >= 0.99f
                ? 1
                : std::clamp(static_cast<int>(std::ceil(std::log(0.03) / std::log(1.0 - alpha))), 1,
                             32);
        const int grid_w = std::max(1, static_cast<int>(std::ceil(cull.x1 - cull.x0)) + 1);
        const int grid_h = std::max(1, static_cast<int>(std::ceil(cull.y1 - cull.y0)) + 1);
        m_stack.assign(static_cast<std::size_t>(grid_w) * static_cast<std::size_t>(grid_h), 0);
        for (std::size_t k = 0; k < xs.size(); ++k) {
            const DPoint p = pixel(xs[k], ys[k]);
            if (!is_finite(p) || !cull.contains(p)) continue;
            const auto gx = static_cast<std::size_t>(
                std::clamp(static_cast<int>(std::lround(p.x - cull.x0)), 0, grid_w - 1));
            const auto gy = static_cast<std::size_t>(
                std::clamp(static_cast<int>(std::lround(p.y - cull.y0)), 0, grid_h - 1));
            std::uint8_t& stacked = m_stack[gy * static_cast<std::size_t>(grid_w) + gx];
            if (stacked >= max_stack) continue;
            ++stacked;
            m_rec.points.push_back(to_point(p));
        }
        const auto count = static_cast<std::uint32_t>(m_rec.points.size()) - first;
        if (count == 0) return;
        Primitive& p = m_rec.add_primitive(PrimitiveKind::kMarkers, index);
        p.glyph = s.glyph;
        p.filled = s.marker_filled;
        p.color = s.color;
        p.outline = s.outline;
        p.width = s.width;
        p.size = s.marker_size;
        p.first = first;
        p.count = count;
    }

    void bars(int index, const Series& s) {
        const auto ys = m_rec.ys(s);
        // On a log axis there is no zero to rise from; bars rise from the bottom edge.
        const double base = m_l.ty.log() ? m_l.ty.min() : 0.0;
        const double half = 0.5 * s.bar_width;
        const Box& a = m_l.area;
        for (std::size_t k = 0; k < ys.size(); ++k) {
            const double x = static_cast<double>(k);
            const double x0 = m_l.tx.to_pixel(x - half);
            const double x1 = m_l.tx.to_pixel(x + half);
            const double y0 = m_l.ty.to_pixel(base);
            const double y1 = m_l.ty.to_pixel(ys[k]);
            if (!std::isfinite(x0) || !std::isfinite(x1) || !std::isfinite(y0) ||
                !std::isfinite(y1))
                continue;
            // Whole pixels keep neighbouring bars' edges sharp.
            const Box box{static_cast<float>(
                              std::round(std::clamp(std::min(x0, x1), double(a.x0), double(a.x1)))),
                          static_cast<float>(
                              std::round(std::clamp(std::min(y0, y1), double(a.y0), double(a.y1)))),
                          static_cast<float>(
                              std::round(std::clamp(std::max(x0, x1), double(a.x0), double(a.x1)))),
                          static_cast<float>(std::round(
                              std::clamp(std::max(y0, y1), double(a.y0), double(a.y1))))};
            if (box.x1 <= box.x0 || box.y1 <= box.y0) continue;
            add_rect(m_rec, box, s.color, true, 0, index);
        }
    }

    void cells(int index, const Series& s) {
        const auto xs = m_rec.xs(s);
        const auto ys = m_rec.ys(s);
        const Box& a = m_l.area;
        const auto edge = [](double p, float lo, float hi) {
            return static_cast<float>(std::round(std::clamp(p, double(lo), double(hi))));
        };
        for (std::size_t k = 0; k < xs.size(); ++k) {
            const double x0 = m_l.tx.to_pixel(xs[k] - 0.5), x1 = m_l.tx.to_pixel(xs[k] + 0.5);
            const double y0 = m_l.ty.to_pixel(ys[k] - 0.5), y1 = m_l.ty.to_pixel(ys[k] + 0.5);
            if (!std::isfinite(x0) || !std::isfinite(x1) || !std::isfinite(y0) ||
                !std::isfinite(y1))
                continue;
            // Whole pixels, so neighbouring cells meet without a seam.
            const Box box{edge(std::min(x0, x1), a.x0, a.x1), edge(std::min(y0, y1), a.y0, a.y1),
                          edge(std::max(x0, x1), a.x0, a.x1), edge(std::max(y0, y1), a.y0, a.y1)};
            if (box.x1 <= box.x0 || box.y1 <= box.y0) continue;
            add_rect(m_rec, box, m_rec.cell_color(s, k), true, 0, index);
        }
    }

    void arrow(int index, const Series& s) {
        const auto xs = m_rec.xs(s);
        const auto ys = m_rec.ys(s);
        if (xs.size() < 2) return;
        const DPoint p0 = pixel(xs[0], ys[0]);
        const DPoint p1 = pixel(xs[1], ys[1]);
        if (!is_finite(p0) || !is_finite(p1)) return;
        const double dx = p1.x - p0.x;
        const double dy = p1.y - p0.y;
        const double length = std::hypot(dx, dy);
        if (!(length > 1e-6) || !std::isfinite(length)) return;
        const double ux = dx / length;
        const double uy = dy / length;
        // The head keeps its pixel size at any zoom; only an arrow shorter than it shrinks it.
        const double head = std::min(length, std::max(9.0 * m_l.scale, 4.0 * s.width));
        const double half_width = 0.45 * head;
        // The shaft stops under the head so its square end does not poke out of the tip.
        const double shaft = length - 0.7 * head;
        if (shaft > 0) {
            const DPoint line[2] = {p0, {p0.x + ux * shaft, p0.y + uy * shaft}};
            polyline(index, s, line);
        }
        const DPoint base{p1.x - ux * head, p1.y - uy * head};
        const DPoint tri[3] = {p1,
                               {base.x - uy * half_width, base.y + ux * half_width},
                               {base.x + uy * half_width, base.y - ux * half_width}};
        m_ctx.clipped.clear();
        const std::size_t n = clip_convex_polygon(m_l.clip, tri, m_ctx.clipped);
        if (n == 0) return;
        Primitive& p = m_rec.add_primitive(PrimitiveKind::kFill, index);
        p.color = s.color;
        p.filled = true;
        p.first = static_cast<std::uint32_t>(m_rec.points.size());
        p.count = static_cast<std::uint32_t>(n);
        p.first_polygon = static_cast<std::uint32_t>(m_rec.polygon_sizes.size());
        p.polygon_count = 1;
        m_rec.polygon_sizes.push_back(static_cast<std::uint32_t>(n));
        for (std::size_t i = 0; i < n; ++i)
            m_rec.points.push_back(to_point(m_ctx.clipped[i]));
    }

    void reference_line(int index, const Series& s) {
        const Box& a = m_l.area;
        DPoint line[2];
        if (s.kind == SeriesKind::kHLine) {
            const auto ys = m_rec.ys(s);
            if (ys.empty()) return;
            const double y = m_l.ty.to_pixel(ys[0]);
            line[0] = {a.x0, y};
            line[1] = {a.x1, y};
        } else {
            const auto xs = m_rec.xs(s);
            if (xs.empty()) return;
            const double x = m_l.tx.to_pixel(xs[0]);
            line[0] = {x, a.y0};
            line[1] = {x, a.y1};
        }
        polyline(index, s, line);
    }

    void image(int index, const Series& s) {
        const double left = m_l.tx.to_pixel(s.bounds[0]);
        const double right = m_l.tx.to_pixel(s.bounds[2]);
        const double top = m_l.ty.to_pixel(s.bounds[3]);
        const double bottom = m_l.ty.to_pixel(s.bounds[1]);
        if (!std::isfinite(left) || !std::isfinite(right) || !std::isfinite(top) ||
            !std::isfinite(bottom) || left == right || top == bottom)
            return;
        const Box& a = m_l.area;
        const double x0 = std::max(std::min(left, right), double(a.x0));
        const double x1 = std::min(std::max(left, right), double(a.x1));
        const double y0 = std::max(std::min(top, bottom), double(a.y0));
        const double y1 = std::min(std::max(top, bottom), double(a.y1));
        if (!(x1 > x0) || !(y1 > y0)) return;
        // Texture coordinate 0,0 is the image's top-left (x_min, y_max); clipping moves it too.
        auto u = [&](double px) { return static_cast<float>((px - left) / (right - left)); };
        auto v = [&](double py) { return static_cast<float>((py - top) / (bottom - top)); };
        Primitive& p = m_rec.add_primitive(PrimitiveKind::kImage, index);
        p.texture = s.texture;
        p.a = to_point({x0, y0});
        p.b = to_point({x1, y1});
        p.uv0 = {u(x0), v(y0)};
        p.uv1 = {u(x1), v(y1)};
    }

    void text(int index, const Series& s) {
        const auto xs = m_rec.xs(s);
        const auto ys = m_rec.ys(s);
        if (xs.empty()) return;
        const DPoint p = pixel(xs[0], ys[0]);
        if (!is_finite(p) || !m_l.clip.contains(p)) return;
        add_text(m_rec,
                 {static_cast<float>(p.x) + s.pixel_offset.x,
                  static_cast<float>(p.y) + s.pixel_offset.y},
                 {0.5f, 0.5f}, m_rec.full_label(s), s.color, m_l.font, index);
    }

    Context& m_ctx;
    const Layout& m_l;
    Recording& m_rec;
    std::vector<std::uint8_t> m_stack;  // markers drawn per pixel, for the overdraw cap
};

}  // namespace

void emit_series(Context& ctx, const Layout& l, Recording& rec) {
    Primitive& clip = rec.add_primitive(PrimitiveKind::kPushClip);
    clip.a = {l.area.x0, l.area.y0};
    clip.b = {l.area.x1, l.area.y1};
    SeriesEmitter emitter(ctx, l, rec);
    for (std::size_t i = 0; i < rec.series.size(); ++i)
        emitter.emit(static_cast<int>(i));
    rec.add_primitive(PrimitiveKind::kPopClip);
}

}  // namespace rl::plot
