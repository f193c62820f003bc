#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/estimator.hpp"

namespace rl::core {

// The pieces each advantage is made of, A_k = (R_k - b_k) / spread, kept so the this-step panel
// can show a student every number needed to redo the arithmetic by hand.
struct AdvantageTerms {
    std::vector<double> baselines;  // b_k, one per sample
    // Group normalisation's batch standard deviation (0 for a group whose rewards all agree,
    // whose advantages are then all 0); 1 for every other kind.
    double spread = 1.0;
};

// Fills advantages A_k = R_k - b_k for one batch. fixed_baseline is the value subtracted by the
// kinds that do not look at the batch (none, constant, running, expected, optimal). Returns the
// mean baseline subtracted, for display; `terms`, when given, receives the per-sample pieces.
double compute_advantages(BaselineKind kind, double fixed_baseline, std::span<const double> rewards,
                          std::span<double> advantages, AdvantageTerms* terms = nullptr);

// Every bandit baseline's advantage is A = lambda (R - beta) with lambda and beta fixed for the
// batch (docs/MATH.md 14.1): the kinds below subtract the batch's mean (RLOO's (T - R) / (K - 1)
// gives R - b = K / (K - 1) (R - T / K)), the others fixed_baseline with lambda 1.
bool subtracts_batch_mean(BaselineKind kind);
struct BatchScale {
    double lambda = 1.0, beta = 0.0;
};
// mean: the batch's mean reward; agree: every reward equal (then every batch-relative advantage
// is exactly 0); squares: the sum of squared deviations from the mean, read by group norm only.
BatchScale batch_scale(BaselineKind kind, int K, double fixed_baseline, double mean, bool agree,
                       double squares);

// The running-mean baseline of one training run.
struct RunningBaseline {
    double value = 0.0;  // EMA state
    double sum = 0.0;    // average mode: every reward so far
    double count = 0.0;

    // The baseline this step subtracts, given this step's rewards (the average mode includes them).
    double baseline_for_step(RunningMode mode, std::span<const double> rewards) const;
    // Folds this step's rewards in after the update.
    void observe(RunningMode mode, double decay, std::span<const double> rewards);
};

}  // namespace rl::core
