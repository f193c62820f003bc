#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/episodes/episode_training.hpp"
#include "core/problem_kind.hpp"
#include "live/length_sweep.hpp"
#include "live/snr_point.hpp"

// What the window draws of an episode problem (token sequences, tables) beside the bandit's
// Results: filled by live::EpisodeLive from the engine's episode summaries.
namespace rl::live {

struct EpisodeResults {
    bool active = false;  // the results are of an episode problem
    core::ProblemKind problem = core::ProblemKind::kBandit;
    int horizon = 0;  // decisions an episode makes at most
    std::size_t blocks = 0, actions = 0;
    std::vector<std::string> action_names;
    // A row of the policy map: the position ("t3"), the position and previous token
    // ("t3 after b"), "every position", or the states a table's logit set serves.
    std::vector<std::string> block_names;
    // blocks x actions: the median over runs of each probability at the latest step; empty when
    // the policy has more than engine::kMaxSummaryPolicyCells logits.
    std::vector<double> probs_p50;
    // Per block, the actions that do best where the block decides exactly one position (per
    // position policies); empty where a block serves several and no one action is best for all.
    std::vector<std::vector<std::uint32_t>> best;
    std::vector<double> best_prob_p50;  // per decision: median P(a best action)
    double greedy_best_share = 0.0;     // runs whose most likely choice is best everywhere
    int step = 0;                       // the summary's step
    // Run 0's latest step: what it sampled and every decision's weight (detail_step 0: none
    // since the runs started).
    int detail_step = 0;
    core::EpisodeStepRecord detail;
    // SNR against the length at the starting policy (token sequences), filled a length a tick.
    LengthSweep length;
    // The run's own estimator measured at K = 1, 2, 4, ... at the cloud's policy, a K a tick
    // while the policy stands still: the SNR plot's points (a bandit's are Results::snr_measured).
    std::vector<SnrPoint> snr_points;
};

}  // namespace rl::live
