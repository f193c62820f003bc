#include "plot/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "plot/format.hpp"

namespace rl::plot {
namespace {

// Beyond this many steps from zero a double cannot tell neighbouring ticks apart.
constexpr double kMaxStepsFromZero = 1e15;
constexpr long long kMaxTicks = 1000;
// Ticks this close (in steps) outside the range still count: lo and hi carry rounding.
constexpr double kEdgeTolerance = 1e-9;
// Decade minors (2..9) up to this many decades; beyond, they would crowd into a grey smear.
constexpr double kMaxDecadesWithMinors = 8.0;

void push_tick(TickSet& out, double value, bool major, bool labelled) {
    Tick& t = out.ticks.emplace_back();
    t.value = value;
    t.major = major;
    t.labelled = labelled;
    t.label_first = static_cast<std::uint32_t>(out.labels.size());
}

void end_label(TickSet& out) {
    Tick& t = out.ticks.back();
    t.label_size = static_cast<std::uint32_t>(out.labels.size()) - t.label_first;
}

// m * 10^d on a log axis: integers up to 100 and 0.1, 0.01 in full, others as "5e3".
void append_log_label(int m, int d, bool percent, TickSet& out) {
    if (percent) d += 2;
    if (d >= 0 && d <= 2) {
        const long long v = m * (d == 0 ? 1 : d == 1 ? 10 : 100);
        out.labels += std::to_string(v);
    } else if (d < 0 && d >= -2) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.*f", -d, decimal_value(m, d));
        out.labels += buf;
    } else {
        out.labels += std::to_string(m);
        out.labels += 'e';
        out.labels += std::to_string(d);
    }
    if (percent) out.labels += '%';
}

}  // namespace

void TickSet::clear() {
    ticks.clear();
    labels.clear();
    step = 0;
}

std::string_view TickSet::label(const Tick& t) const {
    return std::string_view(labels).substr(t.label_first, t.label_size);
}

std::size_t TickSet::labelled_count() const {
    return static_cast<std::size_t>(
        std::count_if(ticks.begin(), ticks.end(), [](const Tick& t) { return t.labelled; }));
}

NiceStep nice_step(double raw) {
    NiceStep s;
    if (!(raw > 0) || !std::isfinite(raw)) return s;
    int e = static_cast<int>(std::floor(std::log10(raw)));
    const double f = raw / std::pow(10.0, e);  // in [1, 10) up to rounding
    // The boundaries are the geometric means of neighbouring candidates: nearest by ratio.
    int m = 1;
    if (f >= std::sqrt(50.0)) {
        m = 1;
        ++e;
    } else if (f >= std::sqrt(10.0)) {
        m = 5;
    } else if (f >= std::sqrt(2.0)) {
        m = 2;
    }
    s.mantissa = m;
    s.exponent = e;
    s.value = decimal_value(m, e);
    return s;
}

double target_intervals(double pixels, double spacing) {
    if (!(spacing > 0) || !(pixels > 0)) return 2.0;
    return std::max(2.0, std::floor(pixels / spacing));
}

double decimal_value(long long mantissa, int exponent) {
    if (mantissa == 0) return 0.0;
    // strtod rounds the decimal string once, which no chain of multiplications guarantees.
    char buf[48];
    std::snprintf(buf, sizeof buf, "%llde%d", mantissa, exponent);
    return std::strtod(buf, nullptr);
}

void linear_ticks(double lo, double hi, double target, bool percent, TickSet& out) {
    out.clear();
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo) || !(target > 0)) return;
    // Halves first: hi - lo overflows for ranges near the largest doubles.
    const NiceStep s = nice_step((hi * 0.5 - lo * 0.5) / target * 2.0);
    if (s.value == 0) return;
    const double magnitude = std::max(std::abs(lo), std::abs(hi));
    if (magnitude / s.value > kMaxStepsFromZero) {
        // The range is below the resolution of its own values: label the ends in full.
        for (double v : {lo, hi}) {
            push_tick(out, v, true, true);
            append_value(v, percent, out.labels, 15);
            end_label(out);
        }
        return;
    }
    const auto k_first = static_cast<long long>(std::ceil(lo / s.value - kEdgeTolerance));
    const auto k_last = static_cast<long long>(std::floor(hi / s.value + kEdgeTolerance));
    if (k_last < k_first || k_last - k_first > kMaxTicks) return;
    const double label_magnitude =
        std::max(std::abs(decimal_value(k_first * s.mantissa, s.exponent)),
                 std::abs(decimal_value(k_last * s.mantissa, s.exponent)));
    const TickFormat format = tick_format(s.exponent, label_magnitude, percent);
    out.step = s.value;
    for (long long k = k_first; k <= k_last; ++k) {
        const double v = decimal_value(k * s.mantissa, s.exponent);
        push_tick(out, v, true, true);
        append_tick_label(v, format, out.labels);
        end_label(out);
    }
}

void log_ticks(double lo, double hi, double target, bool percent, TickSet& out) {
    out.clear();
    if (!(lo > 0) || !std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo) || !(target > 0))
        return;
    const double a = std::log10(lo);
    const double b = std::log10(hi);
    const double decades = b - a;
    if (decades < 1.0) {
        linear_ticks(lo, hi, target, percent, out);
        return;
    }
    const int every = std::max(1, static_cast<int>(std::ceil(decades / target)));
    const bool minors = decades <= kMaxDecadesWithMinors;
    const bool label_minors = decades * 3.0 <= target;
    const int d_first = static_cast<int>(std::floor(a));
    const int d_last = static_cast<int>(std::ceil(b));
    const double lo_edge = lo * (1 - kEdgeTolerance);
    const double hi_edge = hi * (1 + kEdgeTolerance);
    for (int d = d_first; d <= d_last; ++d) {
        for (int m = 1; m <= 9; ++m) {
            if (m > 1 && !minors) break;
            const double v = decimal_value(m, d);
            if (v < lo_edge || v > hi_edge) continue;
            const bool major = m == 1;
            const bool labelled =
                major ? ((d % every) + every) % every == 0 : label_minors && (m == 2 || m == 5);
            push_tick(out, v, major, labelled);
            if (labelled) append_log_label(m, d, percent, out);
            end_label(out);
        }
    }
}

}  // namespace rl::plot
