#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/alias_table.hpp"

// Every way of dealing `draws` samples into a few groups, each with its exact multinomial
// probability, behind one alias table: a single lookup draws a whole chunk of a batch's counts
// (docs/MATH.md section 14). With 2 groups it is a binomial table.
namespace rl::core {

class MultinomialTable {
  public:
    // The most outcomes a table may hold: a few hundred kilobytes, built in well under a
    // millisecond, so a cloud can afford one per policy.
    static constexpr std::uint64_t kMaxOutcomes = 8192;

    MultinomialTable() = default;
    // probs: one per group, normalised here; draws: the chunk's sample count (>= 0, and
    // outcome_count(draws, probs.size()) <= kMaxOutcomes, else std::invalid_argument).
    MultinomialTable(std::span<const double> probs, int draws);

    // C(draws + groups - 1, groups - 1), saturating at kMaxOutcomes + 1.
    static std::uint64_t outcome_count(int draws, std::size_t groups);
    // The largest chunk (<= limit) whose table fits kMaxOutcomes.
    static int largest_chunk(std::size_t groups, int limit);

    int draws() const { return m_draws; }
    std::size_t groups() const { return m_groups; }
    std::uint32_t outcomes() const { return static_cast<std::uint32_t>(m_probability.size()); }
    // The count of each group in one outcome.
    const std::uint16_t* counts(std::uint32_t outcome) const {
        return m_counts.data() + static_cast<std::size_t>(outcome) * m_groups;
    }
    double probability(std::uint32_t outcome) const { return m_probability[outcome]; }
    const AliasTable& alias() const { return m_alias; }

    std::uint32_t draw(std::uint32_t column_bits, std::uint32_t accept_bits) const {
        return alias_sample(m_alias.data(), m_alias.size(), column_bits, accept_bits);
    }

  private:
    int m_draws = 0;
    std::size_t m_groups = 0;
    std::vector<std::uint16_t> m_counts;  // outcomes x groups
    std::vector<double> m_probability;
    AliasTable m_alias;
};

// Binomial(n, p) for every n in 0..max_draws: the success count of n Bernoulli rewards in one
// lookup, and of more than max_draws in a few (a binomial's chunks add up).
class BinomialTables {
  public:
    BinomialTables() = default;
    BinomialTables(double p, int max_draws);
    int max_draws() const { return static_cast<int>(m_tables.size()) - 1; }
    const MultinomialTable& table(int n) const { return m_tables[static_cast<std::size_t>(n)]; }

  private:
    std::vector<MultinomialTable> m_tables;
};

}  // namespace rl::core
