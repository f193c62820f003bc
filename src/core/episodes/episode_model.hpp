#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/policy.hpp"
#include "core/reward_model.hpp"

// An episodic problem seen the one way every estimator, sampler and exact formula needs it: at
// decision t (0-based) the episode is in a situation x, the policy picks an action with the
// probabilities of x's logit block, and the problem answers with the next situation and the
// reward of that step. A token sequence (token_sequence) and a small table of states
// (episode_table) are both such problems; x holds whatever the rest of the episode depends on.
namespace rl::core {

struct EpisodeOutcome {
    double prob = 1.0;       // of reaching `next` after this action
    std::uint32_t next = 0;  // the situation after the step
    RewardModel reward;      // what this step pays
};

class EpisodeModel {
  public:
    virtual ~EpisodeModel() = default;

    virtual std::size_t actions() const = 0;  // per decision, the same in every block
    virtual std::size_t blocks() const = 0;   // logit sets the policy has
    virtual int horizon() const = 0;          // the most decisions an episode makes
    virtual double discount() const = 0;      // gamma
    virtual std::uint32_t start() const = 0;
    virtual std::uint32_t situations() const = 0;  // x < situations()
    // The episode ends before deciding in x (a terminal state); the horizon ends it too.
    virtual bool terminal(std::uint32_t x) const = 0;
    // Which logit block decides at (t, x): below blocks() for every t < horizon() and every x,
    // reached or not, since the dynamic programs visit them all.
    virtual std::uint32_t block(int t, std::uint32_t x) const = 0;
    // Every outcome of action a at (t, x); the probabilities sum to 1.
    virtual void outcomes(int t, std::uint32_t x, std::uint32_t a,
                          std::vector<EpisodeOutcome>& out) const = 0;
    // Whether two decisions of one episode can draw from the same logit block. When they cannot,
    // scores of different decisions are orthogonal and the exact moments need no enumeration.
    virtual bool decisions_share_blocks() const { return true; }
    // The learned critic's table: one value per (decision, situation) unless the problem says
    // time does not matter (a table's states).
    virtual std::uint32_t critic_size() const {
        return static_cast<std::uint32_t>(horizon()) * situations();
    }
    virtual std::uint32_t critic_index(int t, std::uint32_t x) const {
        return static_cast<std::uint32_t>(t) * situations() + x;
    }
};

// The policy: one softmax per block. Parameters are laid out block by block, `actions` per
// block; with the last logit pinned, each block's last component never moves and every
// gradient-like vector is zero there.
struct EpisodePolicy {
    Parameterization param = Parameterization::kFree;
    std::size_t actions = 0;
    std::vector<double> logits;  // blocks x actions
    std::vector<double> probs;   // softmax of each block, kept in step with logits

    std::size_t blocks() const { return actions == 0 ? 0 : logits.size() / actions; }
    std::size_t dim() const { return gradient_dim(param, actions); }  // free components per block
    std::span<const double> block_probs(std::size_t b) const {
        return {probs.data() + b * actions, actions};
    }
    // Recomputes probs after the logits changed.
    void refresh();
};

EpisodePolicy make_episode_policy(Parameterization param, std::size_t actions,
                                  std::vector<double> logits);

// <psi, psi'> for two decisions' scores, psi = e_a - pi in its block's free components: zero
// across blocks, [a == a'] - pi_a - pi_a' + |pi|^2 (free components only) within one.
double score_dot(const EpisodePolicy& policy, std::uint32_t block_a, std::uint32_t action_a,
                 std::uint32_t block_b, std::uint32_t action_b);

// Adds weight * psi (the score of `action` in `block`) to a parameter-sized vector.
void add_score(const EpisodePolicy& policy, std::uint32_t block, std::uint32_t action,
               double weight, std::span<double> out);

// The step's reward plus a fixed amount (a terminal outcome paid on top of a token's reward).
RewardModel shifted_reward(RewardModel model, double shift);

}  // namespace rl::core
