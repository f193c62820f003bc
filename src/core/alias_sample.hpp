#pragma once

#include <cstdint>

#include "core/host_device.hpp"

// The sampling half of the alias table, apart from its builder: only <cstdint>, so device code
// (compiled as C++17 by nvcc) includes it without the builder's std::span.
namespace rl::core {

struct AliasEntry {
    std::uint32_t threshold;  // keep the column's own action when the second word is below this
    std::uint32_t alias;      // otherwise take this action
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

}  // namespace rl::core
