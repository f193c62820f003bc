#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/episodes/episode_sampler.hpp"
#include "core/episodes/episode_values.hpp"

// One training run on an episode problem: its policy, the baselines that remember (a running mean
// per position, a learned critic), and the step that samples K episodes and moves the logits.
namespace rl::core {

EpisodeEstimator episode_estimator(const EstimatorSettings& s);

struct EpisodeRunState {
    EpisodePolicy policy;
    std::vector<double> running;        // per position, in credit units
    std::vector<double> running_sum;    // the average mode's sums and counts
    std::vector<double> running_count;  //
    std::vector<double> critic;         // V(state) in return units (learned_value only)
};

EpisodeRunState start_run(const EpisodeModel& model, const EpisodePolicy& initial,
                          const EstimatorSettings& s);

// What the baselines subtract at this step: "" or why they cannot be had (the optimal baseline
// needs every trajectory's moments, so at most kMaxTrainingTrajectories of them).
inline constexpr double kMaxTrainingTrajectories = 65536.0;
std::string episode_baseline_inputs(const EpisodeModel& model, const EpisodeRunState& run,
                                    const EpisodeValues& values, const EstimatorSettings& s,
                                    EpisodeBaselineInputs& out);

// The running mean and the critic after a batch (the running mean's average mode counts the
// batch before it is used: call it with `before` true first).
void update_run_memory(const EpisodeModel& model, EpisodeRunState& run,
                       std::span<const SampledEpisode> batch, const EstimatorSettings& s,
                       bool before);

// What one step of a run did, for the window's This-step panel: the K episodes it sampled and
// every decision's weight, under the run's estimator and, on the same episodes, under the three a
// lesson on credit compares (full return, rewards-to-go, rewards-to-go less the prefix value).
struct EpisodeStepRecord {
    std::vector<SampledEpisode> batch;
    std::vector<std::vector<DecisionWeight>> weights;  // [episode][decision], the run's own
    std::vector<std::vector<DecisionWeight>> full_return, reward_to_go, prefix_value;
    double clip_scale = 1.0;  // what clipping multiplied the estimate by (1: it did not)
};

// Samples K episodes from `key` and adds lr * g to the run's logits, g with the KL anchor to
// `reference_log_probs`, the entropy bonus and clipping as `s` asks (episode_objective.hpp): ""
// or why it could not (a baseline that cannot be had, or a divergence). `record`, when given,
// receives what the step did.
std::string episode_train_step(const EpisodeModel& model,
                               std::span<const double> reference_log_probs, EpisodeRunState& run,
                               const EstimatorSettings& s, const StreamKey& key,
                               EpisodeStepRecord* record = nullptr);

}  // namespace rl::core
