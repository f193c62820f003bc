#include "plot/decimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace rl::plot {
namespace {

bool is_finite(const BandPoint& p) {
    return std::isfinite(p.x) && std::isfinite(p.a) && std::isfinite(p.b);
}

template <typename T>
void push_break(std::vector<T>& out, T brk) {
    if (!out.empty() && is_finite(out.back())) out.push_back(brk);
}

}  // namespace

void decimate_line(std::span<const DPoint> in, std::vector<DPoint>& out) {
    const std::size_t n = in.size();
    std::size_t i = 0;
    while (i < n) {
        if (!is_finite(in[i])) {
            push_break(out, break_point());
            ++i;
            continue;
        }
        const bool piece_start = i == 0 || !is_finite(in[i - 1]);
        const double column = std::floor(in[i].x);
        std::size_t j = i;
        std::size_t lo = i;
        std::size_t hi = i;
        while (j < n && is_finite(in[j]) && std::floor(in[j].x) == column) {
            if (in[j].y < in[lo].y) lo = j;
            if (in[j].y > in[hi].y) hi = j;
            ++j;
        }
        const bool piece_end = j == n || !is_finite(in[j]);
        std::size_t picks[4];
        std::size_t count = 0;
        if (piece_start) picks[count++] = i;
        picks[count++] = std::min(lo, hi);
        picks[count++] = std::max(lo, hi);
        if (piece_end) picks[count++] = j - 1;
        // Already in index order; equal neighbours are one point picked for two reasons.
        for (std::size_t k = 0; k < count; ++k) {
            if (k > 0 && picks[k] == picks[k - 1]) continue;
            out.push_back(in[picks[k]]);
        }
        i = j;
    }
}

void decimate_band(std::span<const BandPoint> in, std::vector<BandPoint>& out) {
    const double nan = break_point().x;
    const std::size_t n = in.size();
    std::size_t i = 0;
    while (i < n) {
        if (!is_finite(in[i])) {
            push_break(out, BandPoint{nan, nan, nan});
            ++i;
            continue;
        }
        const double column = std::floor(in[i].x);
        double lo = std::min(in[i].a, in[i].b);
        double hi = std::max(in[i].a, in[i].b);
        std::size_t j = i + 1;
        while (j < n && is_finite(in[j]) && std::floor(in[j].x) == column) {
            lo = std::min({lo, in[j].a, in[j].b});
            hi = std::max({hi, in[j].a, in[j].b});
            ++j;
        }
        out.push_back({in[i].x, lo, hi});
        if (j - i > 1) out.push_back({in[j - 1].x, lo, hi});
        i = j;
    }
}

}  // namespace rl::plot
