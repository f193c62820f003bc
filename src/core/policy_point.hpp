#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/estimator.hpp"
#include "core/policy.hpp"

namespace rl::core {

// Everything the exact formulas need about one policy on one problem. Vectors have length N;
// components at or beyond `dim` (the pinned last logit) are zero in every gradient-like vector.
struct PolicyPoint {
    Parameterization param = Parameterization::kFree;
    std::size_t n = 0;
    std::size_t dim = 0;
    std::vector<double> pi;
    std::vector<double> log_pi;
    // E[R | a] as the estimator sees it: with the KL folded into the reward this already holds
    // rbar_a - beta (log pi_a - log ref_a).
    std::vector<double> rbar;
    std::vector<double> var;  // Var[R | a]
    // What the estimator subtracts from a sampled reward of action a: beta (log pi_a - log ref_a)
    // with the KL folded into the reward, else 0.
    std::vector<double> reward_shift;
    // The exact, sample-free part of the gradient: -beta grad KL (penalty mode) plus the entropy
    // bonus. Zero when neither is on.
    std::vector<double> deterministic;
    double J = 0.0;          // sum pi_a rbar_a (the estimator's reward)
    double raw_J = 0.0;      // expected reward before any KL or entropy term
    double kl = 0.0;         // KL(pi || ref), 0 without a reference
    double entropy = 0.0;    // H(pi)
    double objective = 0.0;  // raw_J - beta KL + entropy coefficient * H
};

// ref_log_probs may be empty (no reference: the KL terms vanish).
PolicyPoint make_policy_point(std::span<const double> logits, Parameterization param,
                              std::span<const double> rbar, std::span<const double> var,
                              std::span<const double> ref_log_probs,
                              const EstimatorSettings& settings);

// Restricted inner products: only the first `dim` components count.
double dot_dim(const PolicyPoint& pt, std::span<const double> a, std::span<const double> b);

}  // namespace rl::core
