#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/settings.hpp"

// Edits the GUI's actions table makes, kept consistent: the policies stay normalised and the
// logit vectors keep one entry per action. Each returns "" or a one-line reason, and on failure
// leaves the session as it was.
namespace rl::core {

std::vector<double> initial_probabilities(const Settings& s);
// The reference policy of the KL term: the initial policy unless one was set.
std::vector<double> reference_probabilities(const Settings& s);

// Gives `action` the probability p (0 < p < 1) and rescales the others so the policy still sums
// to 1 and keeps their ratios.
std::string set_initial_probability(Settings& s, std::size_t action, double p);
std::string set_reference_probability(Settings& s, std::size_t action, double p);

// Appends an action (fixed reward 0, probability 1/(N+1), the others scaled down).
std::string add_action(Settings& s);
// Removes an action; the others keep their ratios. At least two actions remain.
std::string remove_action(Settings& s, std::size_t action);

// Switches the parameterisation keeping the initial and reference policies (pinned logits are
// shifted so the last is 0).
void set_parameterization(Settings& s, Parameterization p);

}  // namespace rl::core
