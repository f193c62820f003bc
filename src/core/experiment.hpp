#pragma once

#include <cstdint>
#include <vector>

#include "core/estimator.hpp"
#include "core/policy.hpp"
#include "core/reward_model.hpp"
#include "core/settings.hpp"

namespace rl::core {

// A validated session resolved into what the engines consume: no strings, no parsing.
struct Experiment {
    std::size_t n = 0;
    std::size_t dim = 0;
    Parameterization parameterization = Parameterization::kFree;
    std::vector<RewardModel> rewards;
    std::vector<double> init_logits;
    std::vector<double> ref_log_probs;
    double arm_mean_sd = 0.0;
    EstimatorSettings estimator;
    int runs = 1;
    int steps = 1;
    int M = 2;
    std::uint64_t seed = 1;
    // Actions that get their own probability summaries: all of them up to this many, otherwise
    // the most likely ones at the start (a 50k vocabulary cannot have 50k columns).
    std::vector<std::uint32_t> tracked_actions;
};

inline constexpr std::size_t kMaxTrackedActions = 256;

Experiment make_experiment(const Settings& s);

// One run's reward problem: the arm means can differ per run (the 10-armed testbed).
struct RunProblem {
    std::vector<double> rbar;  // expected reward per action (no KL term)
    std::vector<double> var;
    std::vector<RewardSampler> samplers;
    std::vector<std::uint32_t> best;  // the actions with the highest expected reward
    bool noisy = false;               // some reward is random, so samples need reward words
};

bool has_per_run_rewards(const Experiment& e);
RunProblem make_run_problem(const Experiment& e, std::uint32_t run);

// The best possible expected reward: the best arm's mean, averaged over runs when each run draws
// its own arm means.
double best_expected_reward(const Experiment& e);

}  // namespace rl::core
