#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Tick positions and labels. Linear axes step by 1, 2 or 5 x 10^n; log axes mark decades, with
// the 2..9 minors when few decades are shown.
namespace rl::plot {

struct Tick {
    double value = 0;
    bool major = true;     // a longer tick mark and a grid line
    bool labelled = true;  // has a label in TickSet::labels
    std::uint32_t label_first = 0, label_size = 0;
    // Pixels the label moves sideways from its tick: a category name at the plot's edge slides
    // inward rather than vanish, still over its tick.
    float label_shift = 0.0f;
    // 1: the label sits a line lower, where category names alternate rows to find room.
    std::uint8_t label_row = 0;
};

struct TickSet {
    std::vector<Tick> ticks;
    std::string labels;
    double step = 0;  // between linear major ticks; 0 for decades

    void clear();
    std::string_view label(const Tick& t) const;
    std::size_t labelled_count() const;
};

struct NiceStep {
    double value = 0;  // mantissa * 10^exponent, correctly rounded
    int mantissa = 1;  // 1, 2 or 5
    int exponent = 0;
};

// The 1-2-5 step nearest (in ratio) to `raw`; value 0 when raw is not positive and finite.
NiceStep nice_step(double raw);

// How many intervals fit `pixels` at one labelled tick per `spacing` pixels (at least 2).
double target_intervals(double pixels, double spacing);

// The exact decimal mantissa * 10^exponent rounded once to double, so 3 * 10^-1 is 0.3 and not
// 0.30000000000000004.
double decimal_value(long long mantissa, int exponent);

// Ticks inside [lo, hi] about (hi - lo) / target_intervals apart. Zero, when inside, is exactly 0.
void linear_ticks(double lo, double hi, double target_intervals, bool percent, TickSet& out);

// Ticks for a base-10 log axis over [lo, hi], lo > 0. Labels: 0.01, 0.1, 1, 10, 100, then 1e3...
// Under one decade it falls back to linear ticks, which read better there.
void log_ticks(double lo, double hi, double target_intervals, bool percent, TickSet& out);

}  // namespace rl::plot
