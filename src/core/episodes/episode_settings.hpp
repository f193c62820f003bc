#pragma once

#include <memory>
#include <string>

#include "core/episodes/episode_model.hpp"
#include "core/settings.hpp"

// Settings that describe an episode problem: what validate() checks beyond the single fields,
// and the model and initial policy they make.
namespace rl::core {

// "" or one line naming the field: the problem's own checks (bandits refuse the episode
// baselines; token sequences their vocabulary and outcome rule; tables their states and moves).
std::string episode_settings_reason(const Settings& s);

// The table's own checks against the actions it is played with.
std::string check_episode_table(const EpisodeTableSpec& table, std::size_t actions);

struct EpisodeProblem {
    std::unique_ptr<EpisodeModel> model;
    EpisodePolicy initial;  // the initial logits in every block
    // The KL anchor's reference, blocks x actions: the reference policy (or the initial one
    // when none is set) in every block.
    std::vector<double> reference_log_probs;
};

// For valid episodic settings.
EpisodeProblem make_episode_problem(const Settings& s);

// Token sequence settings at another length T (1 .. kMaxLength): rewards set for positions past T
// are dropped and an "at least" count is capped at T, so the answer is the first T tokens of the
// same problem. For sweeps over the length (horizon.csv, SNR against length).
Settings settings_at_length(const Settings& s, int T);

// The tokens' rewards, as a token sequence reads them.
TokenSequenceSpec token_sequence_spec(const Settings& s);

}  // namespace rl::core
