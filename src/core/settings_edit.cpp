#include "core/settings_edit.hpp"

#include <cmath>

#include "core/policy.hpp"

namespace rl::core {

namespace {

// The probabilities with `action` set to p and the rest scaled to fill 1 - p.
std::string with_probability(std::vector<double>& probs, std::size_t action, double p,
                             const char* what) {
    if (action >= probs.size()) return std::string(what) + ": no action " + std::to_string(action);
    if (!(p > 0.0 && p < 1.0))
        return std::string(what) + ": a probability must be strictly between 0 and 1";
    const double rest = 1.0 - probs[action];
    for (std::size_t i = 0; i < probs.size(); ++i) {
        if (i == action) continue;
        // When the others had (almost) nothing left, share 1 - p equally rather than divide by 0.
        probs[i] = rest > 1e-300 ? probs[i] * (1.0 - p) / rest
                                 : (1.0 - p) / static_cast<double>(probs.size() - 1);
        if (!(probs[i] > 0.0))
            return std::string(what) + ": another action's probability would be 0";
    }
    probs[action] = p;
    return {};
}

std::string commit(Settings& s, Settings candidate) {
    if (std::string error = validate(candidate); !error.empty()) return error;
    s = std::move(candidate);
    return {};
}

// One probability of a policy (the initial or the reference one) set, the rest rescaled.
std::string set_policy_probability(Settings& s, std::vector<double> Settings::*logits,
                                   std::vector<double> probs, std::size_t action, double p,
                                   const char* what) {
    if (std::string e = with_probability(probs, action, p, what); !e.empty()) return e;
    Settings c = s;
    c.*logits = logits_from_probabilities(probs, s.parameterization);
    return commit(s, std::move(c));
}

}  // namespace

std::vector<double> initial_probabilities(const Settings& s) {
    return softmax(s.init_logits);
}

std::vector<double> reference_probabilities(const Settings& s) {
    return softmax(s.reference_logits.empty() ? s.init_logits : s.reference_logits);
}

std::string set_initial_probability(Settings& s, std::size_t action, double p) {
    return set_policy_probability(s, &Settings::init_logits, initial_probabilities(s), action, p,
                                  "initial probability");
}

std::string set_reference_probability(Settings& s, std::size_t action, double p) {
    return set_policy_probability(s, &Settings::reference_logits, reference_probabilities(s),
                                  action, p, "reference probability");
}

std::string add_action(Settings& s) {
    if (s.actions.size() >= limits::kMaxActions)
        return "actions: at most " + std::to_string(limits::kMaxActions) + " actions";
    const double n = static_cast<double>(s.actions.size());
    Settings c = s;
    ActionSpec spec;
    spec.name = "action " + std::to_string(s.actions.size() + 1);
    c.actions.push_back(spec);
    const auto grown = [&](std::vector<double> probs) {
        for (double& x : probs)
            x *= n / (n + 1.0);
        probs.push_back(1.0 / (n + 1.0));
        return logits_from_probabilities(probs, s.parameterization);
    };
    c.init_logits = grown(initial_probabilities(s));
    if (!s.reference_logits.empty()) c.reference_logits = grown(reference_probabilities(s));
    return commit(s, std::move(c));
}

std::string remove_action(Settings& s, std::size_t action) {
    if (action >= s.actions.size()) return "actions: no action " + std::to_string(action);
    if (s.actions.size() <= limits::kMinActions)
        return "actions: at least " + std::to_string(limits::kMinActions) + " actions are needed";
    const auto shrunk = [&](std::vector<double> probs) {
        const double left = 1.0 - probs[action];
        probs.erase(probs.begin() + static_cast<std::ptrdiff_t>(action));
        for (double& x : probs)
            x /= left;
        return logits_from_probabilities(probs, s.parameterization);
    };
    Settings c = s;
    c.actions.erase(c.actions.begin() + static_cast<std::ptrdiff_t>(action));
    c.init_logits = shrunk(initial_probabilities(s));
    if (!s.reference_logits.empty()) c.reference_logits = shrunk(reference_probabilities(s));
    return commit(s, std::move(c));
}

void set_parameterization(Settings& s, Parameterization p) {
    const std::vector<double> init = initial_probabilities(s);
    const std::vector<double> ref = reference_probabilities(s);
    s.parameterization = p;
    s.init_logits = logits_from_probabilities(init, p);
    if (!s.reference_logits.empty()) s.reference_logits = logits_from_probabilities(ref, p);
}

}  // namespace rl::core
