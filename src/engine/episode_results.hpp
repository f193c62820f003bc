#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/episodes/episode_training.hpp"

// What an engine gives back for episodes (token sequences, tables): the types of the episode half
// of engine/engine.hpp, kept apart so the bandit's stay readable.
namespace rl::engine {

struct Quantiles {
    double mean = 0.0, p10 = 0.0, p50 = 0.0, p90 = 0.0;
};

// Every run after a step.
struct EpisodeStepSummary {
    int step = 0;
    Quantiles J;
    // Share of runs whose most likely choice at every decision is the best one.
    double greedy_best_share = 0.0;
    // Per decision t, the median over runs of P(a best action | decision t is made).
    std::vector<double> best_prob_p50;
    // With at most kMaxSummaryPolicyCells logits: the median of each set's probabilities, set
    // by set (blocks x actions), for the window's policy over positions; else empty.
    std::vector<double> block_probs_p50;
};

// Headless runs print and write the whole median policy when it has at most this many logit
// sets (a table's shared one); more read better as P(best) by position.
inline constexpr std::size_t kWholePolicyBlocks = 4;
// A policy over positions the window can draw as one cell per logit: 512 positions of 8 tokens.
inline constexpr std::size_t kMaxSummaryPolicyCells = 4096;

// What configuring an episode problem starts from.
struct EpisodeStart {
    EpisodeStepSummary initial;  // step 0, at the initial policy
    // Per decision, the actions that do best there, judged at the initial policy: those with the
    // highest action value averaged over where the decision is made.
    std::vector<std::vector<std::uint32_t>> best_actions;
};

struct EpisodeAdvance {
    std::vector<EpisodeStepSummary> steps;  // one per step done
    // Run 0's last step done (run0_step 0: none), for the This-step panel.
    int run0_step = 0;
    core::EpisodeStepRecord run0;
    bool diverged = false;
    std::string divergence;  // which run, which step, and why
};

struct EpisodeCloudRequest {
    std::vector<double> logits;  // blocks x actions: the policy the cloud is drawn at
    std::uint32_t step = 0;      // keys the random streams, so each step gets fresh episodes
    int K = 1;
    int M = 1024;
    int histogram_bins = 64;
};

}  // namespace rl::engine
