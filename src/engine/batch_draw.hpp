#pragma once

#include <cstdint>

#include "core/alias_table.hpp"
#include "core/random_streams.hpp"

// Action draws for a whole batch at once: the same words and the same actions as draw_pair and
// alias_sample give one pair at a time, but with many Philox blocks in flight together so the
// compiler can run them in SIMD lanes.
namespace rl::engine {

// actions[k] for k in [0, K): sample k uses words (0, 1) of block k / 2 when k is even and words
// (2, 3) when k is odd, as draw_batch does. Integer arithmetic only, so every instruction set
// gives the same actions.
void draw_batch_actions(const core::AliasEntry* table, std::uint32_t n, const core::StreamKey& key,
                        int K, std::uint32_t* actions);

}  // namespace rl::engine
