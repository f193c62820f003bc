#include "plot/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rl::plot {
namespace {

// Scientific notation outside this band keeps labels short: 1e6 and above, or below 1e-3.
constexpr double kLargeMagnitude = 1e6;
constexpr double kSmallMagnitude = 1e-3;

void append_printf_double(std::string& out, const char* spec, int precision, double v) {
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, spec, precision, v);
    if (n > 0) out.append(buf, static_cast<std::size_t>(std::min<int>(n, sizeof buf - 1)));
}

// "-0.00" says the value is negative when it printed as zero; drop the sign.
void drop_negative_zero(std::string& s, std::size_t from) {
    if (from >= s.size() || s[from] != '-') return;
    const bool all_zero = std::all_of(s.begin() + static_cast<std::ptrdiff_t>(from) + 1, s.end(),
                                      [](char c) { return c == '0' || c == '.'; });
    if (all_zero) s.erase(from, 1);
}

void append_non_finite(double v, std::string& out) {
    if (std::isnan(v)) {
        out += "nan";
    } else {
        out += v < 0 ? "-inf" : "inf";
    }
}

}  // namespace

TickFormat tick_format(int step_exponent, double magnitude, bool percent) {
    TickFormat f;
    f.percent = percent;
    int e = step_exponent;
    if (percent) {
        e += 2;
        magnitude *= 100.0;
    }
    f.scientific = magnitude >= kLargeMagnitude || (magnitude > 0 && magnitude < kSmallMagnitude);
    // Scientific labels pick their mantissa digits per value; they need the step's exponent.
    f.decimals = f.scientific ? e : std::max(0, -e);
    return f;
}

void append_tick_label(double value, const TickFormat& format, std::string& out) {
    const std::size_t start = out.size();
    if (!std::isfinite(value)) {
        append_non_finite(value, out);
        return;
    }
    const double v = format.percent ? value * 100.0 : value;
    if (v == 0.0) {
        out += '0';
    } else if (format.scientific) {
        const int exponent = static_cast<int>(std::floor(std::log10(std::abs(v))));
        const int digits = std::clamp(exponent - format.decimals, 0, 15);
        append_printf_double(out, "%.*e", digits, v);
        tidy_exponent(out, start);
    } else {
        append_printf_double(out, "%.*f", std::min(format.decimals, 17), v);
        // "1" and "0.5" beside "0.25": a label carries the digits it needs, like the "0".
        if (out.find('.', start) != std::string::npos) {
            while (out.back() == '0')
                out.pop_back();
            if (out.back() == '.') out.pop_back();
        }
        drop_negative_zero(out, start);
    }
    if (format.percent) out += '%';
}

void append_value(double value, bool percent, std::string& out, int significant) {
    const std::size_t start = out.size();
    if (!std::isfinite(value)) {
        append_non_finite(value, out);
        return;
    }
    const double v = percent ? value * 100.0 : value;
    if (v == 0.0) {
        out += '0';
    } else if (v == std::floor(v) && std::abs(v) < 1e9) {
        append_printf_double(out, "%.*f", 0, v);
    } else {
        append_printf_double(out, "%.*g", std::clamp(significant, 1, 17), v);
        tidy_exponent(out, start);
        drop_negative_zero(out, start);
    }
    if (percent) out += '%';
}

void tidy_exponent(std::string& s, std::size_t from) {
    const std::size_t e = s.find_first_of("eE", from);
    if (e == std::string::npos) return;
    // Exponent: drop "+" and leading zeros; an exponent of 0 disappears with its "e".
    std::size_t digits = e + 1;
    const bool negative = digits < s.size() && s[digits] == '-';
    if (digits < s.size() && (s[digits] == '+' || s[digits] == '-')) ++digits;
    std::size_t first_nonzero = digits;
    while (first_nonzero < s.size() && s[first_nonzero] == '0')
        ++first_nonzero;
    const std::string exponent = s.substr(first_nonzero);
    std::string mantissa = s.substr(from, e - from);
    if (mantissa.find('.') != std::string::npos) {
        while (!mantissa.empty() && mantissa.back() == '0')
            mantissa.pop_back();
        if (!mantissa.empty() && mantissa.back() == '.') mantissa.pop_back();
    }
    s.resize(from);
    s += mantissa;
    if (!exponent.empty()) {
        s += 'e';
        if (negative) s += '-';
        s += exponent;
    }
}

}  // namespace rl::plot
