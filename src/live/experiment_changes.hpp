#pragma once

#include <string>

#include "core/experiment.hpp"

// What an edit to the settings changes, so the live session redoes only what it must.
namespace rl::live {

// Why the runs cannot go on under `next` (e.g. "Number of actions changed"); empty when they can.
std::string restart_reason(const core::Experiment& now, const core::Experiment& next);

// Whether every run faces the same reward problem under both.
bool same_rewards(const core::Experiment& a, const core::Experiment& b);

// Whether one K-sample estimate has the same distribution under both at any given policy: the
// learning rate only scales the update, so it does not count.
bool same_estimator(const core::Experiment& a, const core::Experiment& b);

}  // namespace rl::live
