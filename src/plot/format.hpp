#pragma once

#include <string>

// Number formatting for tick labels and hover read-outs: no "-0", no binary noise such as
// 0.30000000000000004, exponents written short ("1e3", "2.5e-7").
namespace rl::plot {

// How the labels of one axis are written; every tick of an axis shares it so they line up.
struct TickFormat {
    int decimals = 0;         // fixed: digits after the point; scientific: mantissa digits
    bool scientific = false;  // mantissa "e" exponent
    bool percent = false;     // value * 100 followed by "%"
};

// The format for ticks `step_exponent` decades apart (a step of m * 10^e) on an axis whose
// largest label magnitude is `magnitude`.
TickFormat tick_format(int step_exponent, double magnitude, bool percent);

// Appends the label of `value` to `out`.
void append_tick_label(double value, const TickFormat& format, std::string& out);

// A read-out with about `significant` significant digits: integers as integers, otherwise
// "%g"-like with the exponent shortened. Appends to `out`.
void append_value(double value, bool percent, std::string& out, int significant = 4);

// Tidies a printf "%e" result in place: "1.50e+06" -> "1.5e6", "2e-07" -> "2e-7".
void tidy_exponent(std::string& s, std::size_t from);

}  // namespace rl::plot
