#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/episodes/episode_estimator.hpp"
#include "core/episodes/episode_model.hpp"
#include "core/random_streams.hpp"

// Monte Carlo for episodes: drawing whole episodes from the policy and turning a batch of them
// into one gradient estimate, with the weight every decision's score gets.
namespace rl::core {

struct EpisodeStep {
    std::uint32_t situation = 0, block = 0, action = 0;
    double reward = 0.0;
};

struct SampledEpisode {
    std::vector<EpisodeStep> steps;
};

// Draws episode `sample` of the batch `key` names: decision t uses the Philox block
// sample * horizon + t (random_streams.hpp), so an episode is the same whoever draws it.
void sample_episode(const EpisodeModel& model, const EpisodePolicy& policy, const StreamKey& key,
                    std::uint32_t sample, std::vector<EpisodeOutcome>& scratch,
                    SampledEpisode& out);

// What the baselines need beyond the batch: numbers per position (constant, expected, optimal,
// running), and the value of each situation (prefix_value: exact, learned_value: the critic).
struct EpisodeBaselineInputs {
    std::vector<double> per_position;  // b_t in credit units, horizon long
    // V_t(x) for prefix_value (t * situations + x), or the critic's table for learned_value.
    std::span<const double> values;
    // Maps (t, x) to an index into `values`.
    std::uint32_t (*value_index)(const EpisodeModel&, int t, std::uint32_t x) = nullptr;
};

// One decision's part of the estimate: its credit, baseline and advantage (the score weight).
struct DecisionWeight {
    double credit = 0.0, baseline = 0.0, advantage = 0.0;
};

// g = (1/K) sum_k sum_t A_t^k psi_t^k into `gradient` (blocks x actions, zeroed first). `weights`,
// when given, receives every decision's weight, episode by episode.
void episode_gradient(const EpisodeModel& model, const EpisodePolicy& policy,
                      const EpisodeEstimator& estimator, const EpisodeBaselineInputs& inputs,
                      std::span<const SampledEpisode> batch, std::span<double> gradient,
                      std::vector<std::vector<DecisionWeight>>* weights = nullptr);

// W_t for t < horizon: R for the full return, sum_{k >= t} gamma^k r_k (0 past the end) for
// rewards-to-go.
std::vector<double> episode_credits(const SampledEpisode& episode, Credit credit, double gamma,
                                    std::size_t horizon);

// The index of V_t(x) in EpisodeValues::value.
std::uint32_t prefix_value_index(const EpisodeModel& model, int t, std::uint32_t x);

}  // namespace rl::core
