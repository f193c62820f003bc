#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/episodes/episode_model.hpp"

// A small episodic problem written out as a table: states, actions, where each action leads with
// what probability and what it pays. States share a logit block when the learner cannot tell them
// apart (aliased states, as in the short corridor).
namespace rl::core {

struct TableTransition {
    std::uint32_t state = 0, action = 0, next = 0;
    double prob = 1.0;
    RewardModel reward;
};

struct EpisodeTableSpec {
    std::vector<std::string> states, actions;
    std::vector<TableTransition> transitions;  // those of one (state, action) sum to 1
    std::uint32_t start = 0;
    std::vector<std::uint32_t> terminal;  // the episode ends on reaching one of these
    double discount = 1.0;
    int step_cap = 100;  // the most decisions an episode makes
    // The logit block each state decides with; empty gives every state its own.
    std::vector<std::uint32_t> state_block;
};

class EpisodeTableModel final : public EpisodeModel {
  public:
    explicit EpisodeTableModel(EpisodeTableSpec spec);

    std::size_t actions() const override { return spec_.actions.size(); }
    std::size_t blocks() const override { return blocks_; }
    int horizon() const override { return spec_.step_cap; }
    double discount() const override { return spec_.discount; }
    std::uint32_t start() const override { return spec_.start; }
    std::uint32_t situations() const override {
        return static_cast<std::uint32_t>(spec_.states.size());
    }
    bool terminal(std::uint32_t x) const override { return is_terminal_[x]; }
    std::uint32_t block(int, std::uint32_t x) const override;
    void outcomes(int t, std::uint32_t x, std::uint32_t a,
                  std::vector<EpisodeOutcome>& out) const override;

    // A state's value does not depend on when it is reached (as Sutton and Barto's critic).
    std::uint32_t critic_size() const override { return situations(); }
    std::uint32_t critic_index(int, std::uint32_t x) const override { return x; }

    const EpisodeTableSpec& spec() const { return spec_; }

  private:
    EpisodeTableSpec spec_;
    std::size_t blocks_ = 0;
    std::vector<bool> is_terminal_;
    std::vector<std::vector<EpisodeOutcome>> by_pair_;  // state-major, actions per state
};

// Sutton and Barto's short corridor (Example 13.1): three states that look alike, the second with
// its actions reversed, -1 a step until the goal. With one shared logit pair the best policy is
// stochastic: right with probability about 0.59.
EpisodeTableSpec short_corridor(int step_cap = 100);

}  // namespace rl::core
