#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "plot/geometry.hpp"

// Clipping to the plot rectangle, so that what reaches the draw list is inside it and finite,
// however far outside the view (or infinite, or NaN) the data are.
namespace rl::plot {

// Liang-Barsky. False when the segment misses r or an end is not finite; otherwise the ends
// outside r are moved onto its boundary along the segment.
bool clip_segment(const DRect& r, DPoint& a, DPoint& b);

// The pieces of a polyline inside r. Non-finite points are breaks. Appends each piece's points
// to `points` and its size (at least 2) to `sizes`.
void clip_polyline(const DRect& r, std::span<const DPoint> in, std::vector<DPoint>& points,
                   std::vector<std::uint32_t>& sizes);

// The largest polygon clip_convex_polygon accepts.
inline constexpr std::size_t kMaxClipPolygon = 16;

// Sutherland-Hodgman: the part of convex polygon `in` (at most kMaxClipPolygon vertices) inside
// r, appended to `out`. Returns how many vertices were appended: 0 when nothing is inside or a
// vertex is not finite, else at least 3.
std::size_t clip_convex_polygon(const DRect& r, std::span<const DPoint> in,
                                std::vector<DPoint>& out);

}  // namespace rl::plot
