#include "plot/transform.hpp"

namespace rl::plot {

AxisTransform::AxisTransform(double min, double max, double pixel_min, double pixel_max, bool log)
    : m_min(min), m_max(max), m_pixel_min(pixel_min), m_pixel_max(pixel_max), m_log(log) {
    m_axis_min = to_axis_space(min, log);
    const double axis_span = to_axis_space(max, log) - m_axis_min;
    // A collapsed or invalid view maps everything to the middle rather than dividing by zero;
    // the fit never produces one, but a caller might.
    if (std::isfinite(axis_span) && axis_span != 0 && std::isfinite(m_axis_min)) {
        m_scale = (pixel_max - pixel_min) / axis_span;
    } else {
        m_axis_min = std::isfinite(m_axis_min) ? m_axis_min : 0.0;
        m_pixel_min = 0.5 * (pixel_min + pixel_max);
        m_scale = 1.0;
    }
}

}  // namespace rl::plot
