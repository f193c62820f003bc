#include "plot/fit.hpp"

#include "plot/ticks.hpp"
#include "plot/transform.hpp"

namespace rl::plot {
namespace {

// Limits round outward to the 1-2-5 step of a twentieth of the span: tidy numbers, little waste.
constexpr double kRoundingIntervals = 20.0;
// Beyond this many steps from zero rounding to the step would lose precision; skip it.
constexpr double kMaxRoundingSteps = 1e15;

// lo, hi in axis space, after fixed ends: make sure lo < hi whatever the caller fixed.
void repair(double& lo, double& hi, bool lo_fixed, bool hi_fixed, bool log) {
    if (hi > lo) return;
    const double span = log ? 1.0 : std::max(1.0, 0.1 * std::max(std::abs(lo), std::abs(hi)));
    if (lo_fixed && !hi_fixed) {
        hi = lo + span;
    } else if (hi_fixed && !lo_fixed) {
        lo = hi - span;
    } else if (lo > hi) {
        std::swap(lo, hi);
    } else {
        lo -= 0.5 * span;
        hi += 0.5 * span;
    }
}

double rounded(double v, const NiceStep& s, bool up) {
    const double k = up ? std::ceil(v / s.value) : std::floor(v / s.value);
    return decimal_value(static_cast<long long>(k) * s.mantissa, s.exponent);
}

bool usable_fixed(double v, bool log) {
    return std::isfinite(v) && (!log || v > 0);
}

}  // namespace

Range fit_range(const Extent& data, const FitSpec& spec, double padding) {
    const bool log = spec.log;
    double lo = 0;
    double hi = 1;
    if (!data.empty()) {
        double a = to_axis_space(data.min, log);
        double b = to_axis_space(data.max, log);
        const bool zero = !log && spec.include_zero;
        if (zero) {
            a = std::min(a, 0.0);
            b = std::max(b, 0.0);
        }
        const double span = b - a;
        if (!(span > 1e-12 * std::max(std::abs(a), std::abs(b)))) {
            const double half = log ? 0.5 : (a != 0 ? 0.1 * std::abs(a) : 0.5);
            lo = a - half;
            hi = b + half;
            if (zero && a == 0 && b == 0) {
                lo = 0;
                hi = 1;
            }
        } else {
            lo = a - padding * span;
            hi = b + padding * span;
            if (!log) {
                const NiceStep s = nice_step((hi - lo) / kRoundingIntervals);
                if (s.value > 0 &&
                    std::max(std::abs(lo), std::abs(hi)) / s.value < kMaxRoundingSteps) {
                    lo = rounded(lo, s, false);
                    hi = rounded(hi, s, true);
                }
            }
            // Bars and probabilities start at zero: the padding must not push below it.
            if (zero && a == 0) lo = 0;
            if (zero && b == 0) hi = 0;
        }
    }
    const bool lo_fixed = usable_fixed(spec.fixed_min, log);
    const bool hi_fixed = usable_fixed(spec.fixed_max, log);
    if (lo_fixed) lo = to_axis_space(spec.fixed_min, log);
    if (hi_fixed) hi = to_axis_space(spec.fixed_max, log);
    repair(lo, hi, lo_fixed, hi_fixed, log);
    return {from_axis_space(lo, log), from_axis_space(hi, log)};
}

Range auto_view(const Range* current, const Extent& data, const FitSpec& spec, int& sparse_frames) {
    const Range target = fit_range(data, spec);
    const bool log = spec.log;
    if (current == nullptr || data.empty()) {
        sparse_frames = 0;
        return current ? *current : target;
    }
    double cu0 = to_axis_space(current->min, log);
    double cu1 = to_axis_space(current->max, log);
    if (!std::isfinite(cu0) || !std::isfinite(cu1) || !(cu1 > cu0)) {
        sparse_frames = 0;
        return target;
    }
    double a = to_axis_space(data.min, log);
    double b = to_axis_space(data.max, log);
    if (!log && spec.include_zero) {
        a = std::min(a, 0.0);
        b = std::max(b, 0.0);
    }
    if (b - a < kShrinkBelow * (cu1 - cu0)) {
        if (++sparse_frames >= kShrinkAfterFrames) {
            sparse_frames = 0;
            return target;
        }
    } else {
        sparse_frames = 0;
    }
    // Unchanged limits are returned as they came: a log round trip would drift by an ulp a frame.
    Range next = *current;
    // Only the side the data crossed moves, out past the data by kGrowPadding.
    if (a < cu0 || b > cu1) {
        const Range grown = fit_range(data, spec, kGrowPadding);
        if (a < cu0) next.min = grown.min;
        if (b > cu1) next.max = grown.max;
    }
    if (usable_fixed(spec.fixed_min, log)) next.min = spec.fixed_min;
    if (usable_fixed(spec.fixed_max, log)) next.max = spec.fixed_max;
    if (!(next.max > next.min)) return target;
    return next;
}

}  // namespace rl::plot
