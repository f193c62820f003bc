#include "core/experiment.hpp"

#include <algorithm>
#include <numeric>

#include "core/random_streams.hpp"

namespace rl::core {

Experiment make_experiment(const Settings& s) {
    Experiment e;
    e.n = s.actions.size();
    e.parameterization = s.parameterization;
    e.dim = gradient_dim(s.parameterization, e.n);
    for (const ActionSpec& a : s.actions)
        e.rewards.push_back(a.reward);
    e.init_logits = s.init_logits;
    e.ref_log_probs = reference_log_probs(s);
    e.arm_mean_sd = s.arm_mean_sd;
    e.estimator = s.estimator;
    e.runs = s.runs;
    e.steps = s.steps;
    e.M = s.M;
    e.seed = s.seed;

    e.tracked_actions.resize(e.n);
    std::iota(e.tracked_actions.begin(), e.tracked_actions.end(), 0u);
    if (e.n > kMaxTrackedActions) {
        std::stable_sort(
            e.tracked_actions.begin(), e.tracked_actions.end(),
            [&](std::uint32_t a, std::uint32_t b) { return e.init_logits[a] > e.init_logits[b]; });
        e.tracked_actions.resize(kMaxTrackedActions);
        std::sort(e.tracked_actions.begin(), e.tracked_actions.end());
    }
    return e;
}

bool has_per_run_rewards(const Experiment& e) {
    return e.arm_mean_sd > 0.0;
}

RunProblem make_run_problem(const Experiment& e, std::uint32_t run) {
    RunProblem p;
    p.rbar.resize(e.n);
    p.var.resize(e.n);
    p.samplers.resize(e.n);
    const StreamKey key{e.seed, Purpose::kArmMeans, run, 0, 0};
    for (std::size_t a = 0; a < e.n; ++a) {
        double offset = 0.0;
        if (has_per_run_rewards(e)) {
            const PhiloxCounter bits = draw_pair(key, static_cast<std::uint32_t>(a / 2));
            double z0 = 0.0, z1 = 0.0;
            standard_normal_pair(bits.v[0], bits.v[1], z0, z1);
            offset = e.arm_mean_sd * (a % 2 == 0 ? z0 : z1);
        }
        p.rbar[a] = e.rewards[a].expected() + offset;
        p.var[a] = e.rewards[a].variance();
        p.samplers[a] = make_reward_sampler(e.rewards[a], offset);
        p.noisy = p.noisy || p.samplers[a].kind != RewardKind::kFixed;
    }
    p.best = best_actions(p.rbar);
    return p;
}

double best_expected_reward(const Experiment& e) {
    const int runs = has_per_run_rewards(e) ? e.runs : 1;
    double sum = 0.0;
    for (int run = 0; run < runs; ++run) {
        const std::vector<double> rbar = make_run_problem(e, static_cast<std::uint32_t>(run)).rbar;
        sum += *std::max_element(rbar.begin(), rbar.end());
    }
    return sum / runs;
}

}  // namespace rl::core
