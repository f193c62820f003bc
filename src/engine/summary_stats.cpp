#include "engine/summary_stats.hpp"

#include <algorithm>
#include <cmath>

namespace rl::engine {

Quantiles summarize(std::span<double> values) {
    Quantiles q;
    if (values.empty()) return q;
    double total = 0.0;
    for (double v : values)
        total += v;
    q.mean = total / static_cast<double>(values.size());
    std::sort(values.begin(), values.end());
    auto at = [&](double p) {
        const double pos = p * static_cast<double>(values.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, values.size() - 1);
        const double frac = pos - static_cast<double>(lo);
        return values[lo] + frac * (values[hi] - values[lo]);
    };
    q.p10 = at(0.1);
    q.p50 = at(0.5);
    q.p90 = at(0.9);
    return q;
}

namespace {
struct AxisRange {
    double lo, hi;
};

AxisRange bulk_range(std::span<const float> v, double must_include_a, double must_include_b) {
    double sum = 0.0, sum2 = 0.0;
    double mn = v.empty() ? 0.0 : v[0], mx = mn;
    for (float f : v) {
        sum += f;
        sum2 += static_cast<double>(f) * f;
        mn = std::min(mn, static_cast<double>(f));
        mx = std::max(mx, static_cast<double>(f));
    }
    const double n = static_cast<double>(std::max<std::size_t>(v.size(), 1));
    const double mean = sum / n;
    const double sd = std::sqrt(std::max(0.0, sum2 / n - mean * mean));
    AxisRange r{std::max(mn, mean - 4.0 * sd), std::min(mx, mean + 4.0 * sd)};
    r.lo = std::min({r.lo, must_include_a, must_include_b});
    r.hi = std::max({r.hi, must_include_a, must_include_b});
    if (!(r.hi > r.lo)) {
        const double pad = std::max(1e-12, std::abs(r.lo) * 1e-6);
        r.lo -= pad;
        r.hi += pad;
    }
    return r;
}
}  // namespace

Histogram2D histogram_frame(std::span<const float> x, std::span<const float> y, int bins,
                            double true_gradient_norm) {
    Histogram2D h;
    h.bins_x = h.bins_y = std::max(1, bins);
    const AxisRange rx = bulk_range(x, 0.0, true_gradient_norm);
    const AxisRange ry = bulk_range(y, 0.0, 0.0);
    h.x_min = rx.lo;
    h.x_max = rx.hi;
    h.y_min = ry.lo;
    h.y_max = ry.hi;
    h.counts.assign(static_cast<std::size_t>(h.bins_x) * h.bins_y, 0);
    return h;
}

Histogram2D cloud_histogram(std::span<const float> x, std::span<const float> y, int bins,
                            double true_gradient_norm) {
    Histogram2D h = histogram_frame(x, y, bins, true_gradient_norm);
    const double sx = h.bins_x / (h.x_max - h.x_min);
    const double sy = h.bins_y / (h.y_max - h.y_min);
    auto bin = [](double t, int n) {
        return std::clamp(static_cast<int>(std::floor(t)), 0, n - 1);
    };
    for (std::size_t i = 0; i < x.size(); ++i) {
        const int bx = bin((x[i] - h.x_min) * sx, h.bins_x);
        const int by = bin((y[i] - h.y_min) * sy, h.bins_y);
        ++h.counts[static_cast<std::size_t>(by) * h.bins_x + bx];
    }
    return h;
}

}  // namespace rl::engine
