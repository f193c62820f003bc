#include "core/alias_table.hpp"

#include <cmath>
#include <stdexcept>

namespace rl::core {

AliasTable::AliasTable(std::span<const double> probs) {
    const std::size_t n = probs.size();
    if (n == 0) throw std::invalid_argument("alias table needs at least one action");
    double total = 0.0;
    for (double p : probs) {
        if (!(p >= 0.0) || !std::isfinite(p))
            throw std::invalid_argument("alias table needs finite, non-negative probabilities");
        total += p;
    }
    if (!(total > 0.0)) throw std::invalid_argument("alias table needs a positive total");

    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    small.reserve(n);
    large.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        scaled[i] = probs[i] * static_cast<double>(n) / total;
        (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }

    m_entries.assign(n, AliasEntry{0, 0});
    constexpr double kScale = 4294967296.0;
    auto set_entry = [&](std::uint32_t column, double keep, std::uint32_t alias) {
        const double t = std::round(keep * kScale);
        // A column that keeps everything points at itself, so the 2^-32 gap costs nothing.
        if (t >= kScale - 1.0) {
            m_entries[column] = AliasEntry{0xFFFFFFFFu, column};
        } else {
            m_entries[column] = AliasEntry{static_cast<std::uint32_t>(t), alias};
        }
    };

    while (!small.empty() && !large.empty()) {
        const std::uint32_t s = small.back();
        small.pop_back();
        const std::uint32_t l = large.back();
        set_entry(s, scaled[s], l);
        scaled[l] = (scaled[l] + scaled[s]) - 1.0;
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    // Leftovers are 1 up to rounding.
    for (std::uint32_t i : large)
        set_entry(i, 1.0, i);
    for (std::uint32_t i : small)
        set_entry(i, 1.0, i);
}

std::vector<double> AliasTable::implied_probabilities() const {
    const std::size_t n = m_entries.size();
    std::vector<double> p(n, 0.0);
    constexpr double kScale = 4294967296.0;
    for (std::size_t c = 0; c < n; ++c) {
        // Exact column weight of the high-word multiply: the count of 32-bit words x with
        // floor(x * n / 2^32) == c, i.e. x in [ceil(c 2^32 / n), ceil((c + 1) 2^32 / n)).
        auto first_word = [n](std::uint64_t col) { return ((col << 32) + n - 1) / n; };
        const std::uint64_t lo = first_word(c);
        const std::uint64_t hi = first_word(c + 1);
        const double weight = static_cast<double>(hi - lo) / kScale;
        const double keep = static_cast<double>(m_entries[c].threshold) / kScale;
        p[c] += weight * keep;
        p[m_entries[c].alias] += weight * (1.0 - keep);
    }
    return p;
}

}  // namespace rl::core
