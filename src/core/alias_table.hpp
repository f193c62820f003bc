#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/host_device.hpp"

// Walker/Vose alias table: O(N) to build, O(1) per sample. Entries are plain words so the same
// table can be copied to a device unchanged.
namespace rl {

struct AliasEntry {
    std::uint32_t threshold;  // keep the column's own action when the second word is below this
    std::uint32_t alias;      // otherwise take this action
};

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

// The column comes from the high word of column_bits * N, so it costs one multiply and no
// division; for N not a power of two each column's weight is off by at most N / 2^32 relative.
RL_HOST_DEVICE inline std::uint32_t alias_sample(const AliasEntry* table, std::uint32_t n,
                                                 std::uint32_t column_bits,
                                                 std::uint32_t accept_bits) {
    const auto column =
        static_cast<std::uint32_t>((static_cast<std::uint64_t>(column_bits) * n) >> 32);
    const AliasEntry e = table[column];
    return accept_bits < e.threshold ? column : e.alias;
}

}  // namespace rl
