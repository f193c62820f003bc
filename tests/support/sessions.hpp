#pragma once

// Sessions built in code for the engine tests, and the bridge from a Session to the enumeration
// oracle's problem description.

#include <string>
#include <vector>

#include "core/policy.hpp"
#include "core/reward_model.hpp"
#include "core/settings.hpp"
#include "support/exact_enumeration.hpp"

namespace rl_test {

inline rl::core::RewardModel fixed_reward(double v) {
    rl::core::RewardModel m;
    m.kind = rl::core::RewardKind::kFixed;
    m.value = v;
    return m;
}

inline rl::core::RewardModel bernoulli_reward(double p, double lo, double hi) {
    rl::core::RewardModel m;
    m.kind = rl::core::RewardKind::kBernoulli;
    m.p = p;
    m.lo = lo;
    m.hi = hi;
    return m;
}

inline rl::core::RewardModel gaussian_reward(double mean, double sd) {
    rl::core::RewardModel m;
    m.kind = rl::core::RewardKind::kGaussian;
    m.mean = mean;
    m.sd = sd;
    return m;
}

inline rl::core::Settings make_settings(
    const std::vector<rl::core::RewardModel>& rewards, const std::vector<double>& init_logits,
    rl::core::Parameterization param = rl::core::Parameterization::kFree) {
    rl::core::Settings s;
    s.preset = "test";
    s.title = "test";
    for (std::size_t a = 0; a < rewards.size(); ++a) {
        // Appended rather than "a" + to_string(a): GCC 12 warns falsely (-Wrestrict) on that.
        std::string name = "a";
        name += std::to_string(a);
        s.actions.push_back({name, rewards[a]});
    }
    s.init_logits = init_logits;
    s.parameterization = param;
    return s;
}

// The yes/no/maybe problem (assets/presets/yes-no-maybe.json): yes/no/maybe paying 8/3/5 under pi =
// 0.3/0.5/0.2.
inline rl::core::Settings yes_no_maybe(
    rl::core::Parameterization param = rl::core::Parameterization::kFree) {
    rl::core::Settings s = make_settings(
        {fixed_reward(8), fixed_reward(3), fixed_reward(5)},
        rl::core::logits_from_probabilities(std::vector<double>{0.3, 0.5, 0.2}, param), param);
    s.actions[0].name = "yes";
    s.actions[1].name = "no";
    s.actions[2].name = "maybe";
    return s;
}

// yes/no/maybe cut to `runs` runs and an M-batch cloud, with steps enough never to finish: the
// live-session tests play it frame by frame.
inline rl::core::Settings small_yes_no_maybe(int runs, int M) {
    rl::core::Settings s = yes_no_maybe();
    s.runs = runs;
    s.M = M;
    s.steps = 100000;
    return s;
}

// The oracle's view of a session's estimator at its initial policy (or at the given logits).
inline OracleProblem oracle_problem(const rl::core::Settings& s,
                                    const std::vector<double>& logits = {}) {
    OracleProblem p;
    p.logits = logits.empty() ? s.init_logits : logits;
    p.param = s.parameterization;
    for (const rl::core::ActionSpec& a : s.actions)
        p.rewards.push_back(a.reward);
    // The session's reference is the initial policy unless one was set.
    p.ref_logits = s.reference_logits.empty() ? s.init_logits : s.reference_logits;
    p.settings = s.estimator;
    return p;
}

}  // namespace rl_test
