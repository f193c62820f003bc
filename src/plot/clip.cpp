#include "plot/clip.hpp"

#include <algorithm>
#include <array>

namespace rl::plot {
namespace {

// Differences are taken of halves: a - b overflows when both are near the largest double, and
// pixel coordinates of far-away data get that large.
double half_diff(double to, double from) {
    return to * 0.5 - from * 0.5;
}

// Where segment p-q crosses the line x = e (or y = e when `horizontal`); p and q lie on opposite
// sides. Measured from the end nearer the line: from the far end a coordinate of 1e300 would
// swallow the few pixels that matter.
DPoint crossing(DPoint p, DPoint q, double e, bool horizontal) {
    if (horizontal) {
        const DPoint& base = std::abs(e - p.y) <= std::abs(e - q.y) ? p : q;
        const double slope = half_diff(q.x, p.x) / half_diff(q.y, p.y);
        return {base.x + (e - base.y) * slope, e};
    }
    const DPoint& base = std::abs(e - p.x) <= std::abs(e - q.x) ? p : q;
    const double slope = half_diff(q.y, p.y) / half_diff(q.x, p.x);
    return {e, base.y + (e - base.x) * slope};
}

DPoint clamp_to(const DRect& r, DPoint p) {
    return {std::clamp(p.x, r.x0, r.x1), std::clamp(p.y, r.y0, r.y1)};
}

enum Outcode : unsigned { kInside = 0, kLeft = 1, kRight = 2, kTop = 4, kBottom = 8 };

unsigned outcode(const DRect& r, DPoint p) {
    unsigned c = kInside;
    if (p.x < r.x0) c |= kLeft;
    if (p.x > r.x1) c |= kRight;
    if (p.y < r.y0) c |= kTop;
    if (p.y > r.y1) c |= kBottom;
    return c;
}

// Moves p, outside the edge(s) in `code`, onto one of those edges along the segment p-q.
DPoint onto_edge(const DRect& r, unsigned code, DPoint p, DPoint q) {
    if (code & kLeft) return crossing(p, q, r.x0, false);
    if (code & kRight) return crossing(p, q, r.x1, false);
    if (code & kTop) return crossing(p, q, r.y0, true);
    return crossing(p, q, r.y1, true);
}

enum class Edge { kLeft, kRight, kTop, kBottom };

bool inside(const DRect& r, Edge e, DPoint p) {
    switch (e) {
        case Edge::kLeft:
            return p.x >= r.x0;
        case Edge::kRight:
            return p.x <= r.x1;
        case Edge::kTop:
            return p.y >= r.y0;
        case Edge::kBottom:
            return p.y <= r.y1;
    }
    return false;
}

DPoint crossing(const DRect& r, Edge e, DPoint s, DPoint d) {
    switch (e) {
        case Edge::kLeft:
            return crossing(s, d, r.x0, false);
        case Edge::kRight:
            return crossing(s, d, r.x1, false);
        case Edge::kTop:
            return crossing(s, d, r.y0, true);
        case Edge::kBottom:
            break;
    }
    return crossing(s, d, r.y1, true);
}

}  // namespace

bool clip_segment(const DRect& r, DPoint& a, DPoint& b) {
    if (!is_finite(a) || !is_finite(b)) return false;
    // Cohen-Sutherland: each round moves one outside end onto an edge line, so later crossings
    // are computed from points already near the rectangle. Each end moves at most twice; the
    // round limit only guards against rounding ping-pong at a corner.
    unsigned ca = outcode(r, a);
    unsigned cb = outcode(r, b);
    for (int round = 0; round < 8; ++round) {
        if ((ca | cb) == kInside) return true;
        if ((ca & cb) != kInside) return false;
        if (ca != kInside) {
            a = onto_edge(r, ca, a, b);
            if (!is_finite(a)) return false;
            ca = outcode(r, a);
        } else {
            b = onto_edge(r, cb, b, a);
            if (!is_finite(b)) return false;
            cb = outcode(r, b);
        }
    }
    return (ca | cb) == kInside;
}

void clip_polyline(const DRect& r, std::span<const DPoint> in, std::vector<DPoint>& points,
                   std::vector<std::uint32_t>& sizes) {
    bool open = false;
    std::size_t piece_start = 0;
    auto close = [&] {
        if (open) sizes.push_back(static_cast<std::uint32_t>(points.size() - piece_start));
        open = false;
    };
    for (std::size_t k = 1; k < in.size(); ++k) {
        const DPoint a = in[k - 1];
        const DPoint b = in[k];
        DPoint ca = a;
        DPoint cb = b;
        if (!clip_segment(r, ca, cb)) {
            close();
            continue;
        }
        // The piece continues only where this segment starts at the previous one's uncut end.
        if (!open || ca.x != a.x || ca.y != a.y) {
            close();
            piece_start = points.size();
            points.push_back(ca);
            open = true;
        }
        points.push_back(cb);
        if (cb.x != b.x || cb.y != b.y) close();
    }
    close();
}

std::size_t clip_convex_polygon(const DRect& r, std::span<const DPoint> in,
                                std::vector<DPoint>& out) {
    if (in.size() < 3 || in.size() > kMaxClipPolygon) return 0;
    std::array<DPoint, kMaxClipPolygon + 4> buf_a;
    std::array<DPoint, kMaxClipPolygon + 4> buf_b;
    std::size_t n = in.size();
    bool all_inside = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (!is_finite(in[i])) return 0;
        buf_a[i] = in[i];
        all_inside = all_inside && r.contains(in[i]);
    }
    if (!all_inside) {
        DPoint* src = buf_a.data();
        DPoint* dst = buf_b.data();
        for (Edge e : {Edge::kLeft, Edge::kRight, Edge::kTop, Edge::kBottom}) {
            std::size_t m = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const DPoint s = src[(i + n - 1) % n];
                const DPoint d = src[i];
                const bool s_in = inside(r, e, s);
                const bool d_in = inside(r, e, d);
                // A convex polygon gains at most one vertex per edge; the bound holds.
                if (d_in != s_in) dst[m++] = crossing(r, e, s, d);
                if (d_in) dst[m++] = d;
            }
            n = m;
            std::swap(src, dst);
            if (n < 3) return 0;
        }
        // Clamped only now: clamping a cut point early would move it along the other axis.
        for (std::size_t i = 0; i < n; ++i)
            buf_a[i] = clamp_to(r, src[i]);
    }
    out.insert(out.end(), buf_a.begin(), buf_a.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
}

}  // namespace rl::plot
