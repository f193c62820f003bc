#pragma once

#include <cmath>
#include <limits>

// Pixel-space points in double precision. Data far outside the view map to pixel coordinates a
// float cannot hold, so everything stays double until it has been clipped to the plot.
namespace rl::plot {

struct DPoint {
    double x = 0, y = 0;
};

struct DRect {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // min and max corners
    bool contains(DPoint p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
    DRect expanded(double by) const { return {x0 - by, y0 - by, x1 + by, y1 + by}; }
};

inline bool is_finite(DPoint p) {
    return std::isfinite(p.x) && std::isfinite(p.y);
}

// In a sequence of points, a non-finite point ends one piece of a line and starts the next.
inline DPoint break_point() {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
}

}  // namespace rl::plot
