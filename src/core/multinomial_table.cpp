#include "core/multinomial_table.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace rl::core {

std::uint64_t MultinomialTable::outcome_count(int draws, std::size_t groups) {
    if (groups == 0 || draws < 0) return 0;
    // C(d + g - 1, g - 1) built up one group at a time; each partial product is itself a
    // binomial coefficient, so the division is exact.
    std::uint64_t c = 1;
    for (std::size_t i = 1; i < groups; ++i) {
        c = c * (static_cast<std::uint64_t>(draws) + i) / i;
        if (c > kMaxOutcomes) return kMaxOutcomes + 1;
    }
    return c;
}

int MultinomialTable::largest_chunk(std::size_t groups, int limit) {
    int lo = 0, hi = std::max(limit, 0);
    while (lo < hi) {
        const int mid = lo + (hi - lo + 1) / 2;
        if (outcome_count(mid, groups) <= kMaxOutcomes)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

MultinomialTable::MultinomialTable(std::span<const double> probs, int draws)
    : m_draws(draws), m_groups(probs.size()) {
    if (m_groups == 0 || draws < 0 || outcome_count(draws, m_groups) > kMaxOutcomes)
        throw std::invalid_argument("multinomial table: too many outcomes");
    double total = 0.0;
    for (double p : probs) {
        if (!(p >= 0.0) || !std::isfinite(p))
            throw std::invalid_argument(
                "multinomial table needs finite, non-negative probabilities");
        total += p;
    }
    if (!(total > 0.0)) throw std::invalid_argument("multinomial table needs a positive total");
    std::vector<double> log_p(m_groups);
    for (std::size_t g = 0; g < m_groups; ++g)
        log_p[g] =
            probs[g] > 0.0 ? std::log(probs[g] / total) : -std::numeric_limits<double>::infinity();
    // log k! by summing logs: no lgamma, whose sign global is shared between threads.
    std::vector<double> log_factorial(static_cast<std::size_t>(draws) + 1, 0.0);
    for (int k = 2; k <= draws; ++k)
        log_factorial[k] = log_factorial[k - 1] + std::log(static_cast<double>(k));

    const auto outcomes = static_cast<std::size_t>(outcome_count(draws, m_groups));
    m_counts.reserve(outcomes * m_groups);
    m_probability.reserve(outcomes);
    // Compositions in lexicographic order: the first group takes draws, draws - 1, ..., 0 and
    // the rest are dealt recursively; an odometer keeps it a loop.
    std::vector<int> c(m_groups, 0);
    c[0] = draws;
    while (true) {
        double log_pmf = log_factorial[draws];
        bool possible = true;
        for (std::size_t g = 0; g < m_groups; ++g) {
            if (c[g] == 0) continue;
            if (probs[g] <= 0.0) possible = false;
            log_pmf += static_cast<double>(c[g]) * log_p[g] - log_factorial[c[g]];
        }
        for (int k : c)
            m_counts.push_back(static_cast<std::uint16_t>(k));
        m_probability.push_back(possible ? std::exp(log_pmf) : 0.0);
        // Next composition: move one draw from the last non-zero group before the end to its
        // right neighbour, gathering everything after it there.
        std::size_t i = m_groups - 1;
        while (i > 0 && c[i - 1] == 0)
            --i;
        if (m_groups == 1 || i == 0) break;
        const int rest = c[m_groups - 1];
        c[m_groups - 1] = 0;
        --c[i - 1];
        c[i] = rest + 1;
    }
    m_alias = AliasTable(m_probability);
}

BinomialTables::BinomialTables(double p, int max_draws) {
    const double probs[2] = {1.0 - p, p};
    m_tables.reserve(static_cast<std::size_t>(max_draws) + 1);
    for (int n = 0; n <= max_draws; ++n)
        m_tables.emplace_back(probs, n);
}

}  // namespace rl::core
