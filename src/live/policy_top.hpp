#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "live/runner.hpp"

// Vocabulary scale: a plot cannot name 50,000 actions, so the policy plots show the few most
// likely ones and everything else as one summed "rest".
namespace rl::live {

// Up to this many actions are drawn one by one; beyond it the plots show the top few.
inline constexpr std::size_t kPolicyAllUpTo = 12;
inline constexpr std::size_t kPolicyTopK = 8;

// The indices of the k largest values, largest first (ties: the lower index first).
std::vector<std::size_t> top_indices(std::span<const double> values, std::size_t k);

// Fills results.policy_top, rest_p50 and rest_now from the tracked actions' medians: empty when
// every action is drawn (at most kPolicyAllUpTo of them).
void fill_policy_top(std::size_t n_actions, std::span<const double> median_now,
                     const History& history, Results& results);

}  // namespace rl::live
