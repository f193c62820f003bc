#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/random_streams.hpp"

// A batch of few samples over many actions (64 tokens of a 50,000-token vocabulary) drawn by
// inverting pi's cumulative distribution: the K uniforms sorted, then one pass over pi places them
// all, O(N + K log K) and no table. An alias table costs several passes over N to build, which
// for such a batch was a third of a training step (docs/BENCHMARKS.md 2026-12-07).
namespace rl::engine {

// Whether a batch of K samples over n actions is cheaper drawn so than through an alias table.
bool cheaper_by_cdf(int K, std::size_t n);

// actions[k] for k in [0, K): sample k's uniform is the 53 bits of words (0, 1) of block k / 2 of
// `key` when k is even and of words (2, 3) when odd; its action is the first a whose cumulative
// probability exceeds it, never one of probability 0. `scratch` holds the sorted uniforms.
void draw_batch_by_cdf(std::span<const double> pi, const core::StreamKey& key, int K,
                       std::uint32_t* actions,
                       std::vector<std::pair<double, std::uint32_t>>& scratch);

}  // namespace rl::engine
