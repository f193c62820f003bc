#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_model.hpp"
#include "core/estimator.hpp"

// The KL anchor, the entropy bonus and clipping on episodes (docs/MATH.md section 13.8). Folded
// into the reward (kl_mode = reward), every decision's reward becomes
// r - beta (log pi(y | block) - log ref(y | block)), taken at the current policy and not
// differentiated: estimates are drawn from a reshaped copy of the problem. As a penalty, and for
// the entropy bonus always, the exact gradient of E[sum_t gamma^t (c_H H_t - beta KL_t)] over
// the decisions an episode makes is added to every estimate, as the bandit adds d.
namespace rl::core {

// The problem with a fixed amount added to the reward of each (block, action) decision, or with
// its rewards replaced by them (`keep_rewards` false): the same moves, so every sampler and
// exact formula reads it as it reads the problem.
class ReshapedEpisodeModel final : public EpisodeModel {
  public:
    ReshapedEpisodeModel(const EpisodeModel& base, std::vector<double> added, bool keep_rewards);

    std::size_t actions() const override { return base_.actions(); }
    std::size_t blocks() const override { return base_.blocks(); }
    int horizon() const override { return base_.horizon(); }
    double discount() const override { return base_.discount(); }
    std::uint32_t start() const override { return base_.start(); }
    std::uint32_t situations() const override { return base_.situations(); }
    bool terminal(std::uint32_t x) const override { return base_.terminal(x); }
    std::uint32_t block(int t, std::uint32_t x) const override { return base_.block(t, x); }
    void outcomes(int t, std::uint32_t x, std::uint32_t a,
                  std::vector<EpisodeOutcome>& out) const override;
    bool decisions_share_blocks() const override { return base_.decisions_share_blocks(); }
    std::uint32_t critic_size() const override { return base_.critic_size(); }
    std::uint32_t critic_index(int t, std::uint32_t x) const override {
        return base_.critic_index(t, x);
    }

  private:
    const EpisodeModel& base_;
    std::vector<double> added_;  // blocks x actions
    bool keep_rewards_;
};

// What every estimate at one policy is drawn from and what is added to it.
struct EpisodeObjective {
    std::unique_ptr<ReshapedEpisodeModel> shaped;  // the KL in the rewards; null when not
    const EpisodeModel* model = nullptr;           // what episodes are sampled from
    std::vector<double> deterministic;             // exact d; empty when no term is on
    double clip = 0.0;                             // > 0: the norm every estimate is capped at

    const EpisodeModel& sampled() const { return *model; }
};

// `reference_log_probs`: the reference policy's log-probabilities, blocks x actions. `base` must
// outlive the result.
EpisodeObjective episode_objective(const EpisodeModel& base, const EpisodePolicy& policy,
                                   std::span<const double> reference_log_probs,
                                   const EstimatorSettings& s);

// g + d, then the norm clip: the factor clipping applied (1 when it did not).
double finish_episode_estimate(const EpisodeObjective& objective, std::span<double> gradient);

// Exact values of the sampled problem (objective.sampled()) with d added to the mean and the
// gradient; none with clipping, which has no closed form.
EpisodeExact with_objective(EpisodeExact exact, const EpisodeObjective& objective);

// Every block's log-probabilities (log-softmax of its logits, so never -inf from a rounded 0).
std::vector<double> episode_log_probs(const EpisodePolicy& policy);

// The objective the estimates climb: raw J - beta E[sum_t gamma^t KL_t] + c_H E[sum_t gamma^t
// H_t], with KL_t and H_t those of the block deciding at t (in either KL mode).
double episode_objective_value(const EpisodeModel& model, const EpisodePolicy& policy,
                               std::span<const double> reference_log_probs,
                               const EstimatorSettings& s);

}  // namespace rl::core
