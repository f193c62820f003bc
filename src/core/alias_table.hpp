#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/alias_sample.hpp"

// Walker/Vose alias table: O(N) to build, O(1) per sample. Entries are plain words so the same
// table can be copied to a device unchanged.
namespace rl::core {

class AliasTable {
  public:
    AliasTable() = default;
    // probs need not be normalised; they must be finite, non-negative and not all zero.
    explicit AliasTable(std::span<const double> probs);

    std::uint32_t size() const { return static_cast<std::uint32_t>(m_entries.size()); }
    const AliasEntry* data() const { return m_entries.data(); }
    std::span<const AliasEntry> entries() const { return m_entries; }

    // The probability the table assigns to each action, for checking it against the policy.
    std::vector<double> implied_probabilities() const;

  private:
    std::vector<AliasEntry> m_entries;
};

}  // namespace rl::core
