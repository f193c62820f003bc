#pragma once

#include <cmath>
#include <limits>

// Data <-> pixel along one axis. "Axis space" is the data itself on a linear axis and log10 of
// it on a log axis; the mapping to pixels is affine in axis space.
namespace rl::plot {

// Axis space of a data value: NaN where the axis cannot show it (log of a value <= 0).
inline double to_axis_space(double v, bool log) {
    if (!log) return v;
    return v > 0 ? std::log10(v) : std::numeric_limits<double>::quiet_NaN();
}

inline double from_axis_space(double u, bool log) {
    return log ? std::pow(10.0, u) : u;
}

class AxisTransform {
  public:
    AxisTransform() = default;
    // min and max are the view's limits in data units (positive on a log axis); they land on
    // pixel_min and pixel_max. For y, pixel_min is the bottom edge, so y grows upward.
    AxisTransform(double min, double max, double pixel_min, double pixel_max, bool log);

    // Not finite when the value cannot be drawn (NaN, infinite, or <= 0 on a log axis); callers
    // skip such points, which breaks a line there.
    double to_pixel(double v) const {
        const double u = m_log ? (v > 0 ? std::log10(v) : kNaN) : v;
        return m_pixel_min + (u - m_axis_min) * m_scale;
    }
    double to_data(double pixel) const {
        return from_axis_space(m_axis_min + (pixel - m_pixel_min) / m_scale, m_log);
    }

    bool log() const { return m_log; }
    double min() const { return m_min; }
    double max() const { return m_max; }
    double pixel_min() const { return m_pixel_min; }
    double pixel_max() const { return m_pixel_max; }
    // Pixels per unit of axis space (negative for y).
    double scale() const { return m_scale; }

  private:
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    double m_min = 0, m_max = 1;
    double m_pixel_min = 0, m_pixel_max = 1;
    double m_axis_min = 0;
    double m_scale = 1;
    bool m_log = false;
};

}  // namespace rl::plot
