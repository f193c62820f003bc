#pragma once

#include <string>
#include <vector>

#include "live/runner.hpp"

// The This-step panel's words and numbers for an episode problem, built without ImGui (as
// step_text is for a bandit) so a test reads what the panel prints and redoes its arithmetic: run
// 0's first sampled sequence of its latest step, token by token, with the weight each token's
// score got under the run's estimator and under the credit choices a lesson compares.
namespace rl::app {

struct EpisodeStepText {
    std::string heading;
    std::vector<std::string> formulas;
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;  // one per decision of the first sequence
};

// Empty headers when run 0 has taken no step yet.
EpisodeStepText episode_step_text(const live::Results& r);

}  // namespace rl::app
