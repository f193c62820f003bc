#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/advantages.hpp"
#include "core/estimator.hpp"
#include "core/policy_point.hpp"

namespace rl::core {

// Buffers reused across steps so the per-step path does not allocate.
struct UpdateScratch {
    std::vector<double> rewards_used;  // rewards after the KL fold
    std::vector<double> advantages;
    AdvantageTerms terms;          // what each advantage was built from
    std::vector<double> gradient;  // length N, zero beyond dim
    // estimate_gradient_by_action's: each action's sample count (length N), and its lanes.
    std::vector<std::uint32_t> counts, lane_counts;
    std::vector<double> lane_sums;
};

struct UpdateOutcome {
    double baseline = 0.0;        // mean baseline subtracted
    double mean_advantage = 0.0;  // (1/K) sum_k A_k, the weight on -pi in g
    double raw_norm = 0.0;        // |g| before clipping
    double clip_scale = 1.0;      // factor clipping applied (1 when it did not)
};

// The arithmetic of one REINFORCE estimate from drawn samples:
// g = (1/K) sum_k A_k s_{y_k} + deterministic part, then clipped. fixed_baseline is the value
// subtracted by the kinds that do not look at the batch (see fixed_baseline_value).
UpdateOutcome estimate_gradient(const PolicyPoint& pt, std::span<const std::uint32_t> actions,
                                std::span<const double> rewards, const EstimatorSettings& s,
                                double fixed_baseline, UpdateScratch& scratch);

// estimate_gradient's estimate from each action's count and reward sum, for a batch of many
// samples over few actions: every bandit baseline's advantage is A_k = lambda (R_k - beta) with
// lambda and beta fixed for the batch (docs/MATH.md 14.1), so action a's samples add
// lambda (S_a - c_a beta) / K. Equal to estimate_gradient's up to the order of its sums: a
// sample-by-sample sum is a chain of dependent additions wherever an action repeats, and at
// K = 4,096 over three actions that chain was most of a training step. Fills scratch.gradient and
// scratch.counts; rewards_used, advantages and terms are left alone. The running baseline and
// K < 2 go through estimate_gradient, which they need.
UpdateOutcome estimate_gradient_by_action(const PolicyPoint& pt,
                                          std::span<const std::uint32_t> actions,
                                          std::span<const double> rewards,
                                          const EstimatorSettings& s, double fixed_baseline,
                                          UpdateScratch& scratch);

// Rescales g, whose norm is `norm`, to norm `clip` when clip > 0 and norm is larger: the factor
// applied (1 when it did not act). The bandit's and the episodes' estimates both clip here.
double clip_to_norm(std::span<double> g, double norm, double clip);

// theta <- theta + alpha g on the free components. Returns false, leaving logits untouched,
// when the step would make a logit non-finite.
bool apply_gradient(std::span<double> logits, std::span<const double> gradient, std::size_t dim,
                    double lr);

}  // namespace rl::core
