#include "live/experiment_changes.hpp"

#include <algorithm>
#include <cstdint>

namespace rl::live {

namespace {

bool same_model(const core::RewardModel& a, const core::RewardModel& b) {
    return a.kind == b.kind && a.value == b.value && a.mean == b.mean && a.sd == b.sd &&
           a.p == b.p && a.lo == b.lo && a.hi == b.hi;
}

bool same_settings_but_lr(const core::EstimatorSettings& a, const core::EstimatorSettings& b) {
    return a.K == b.K && a.baseline == b.baseline && a.constant_b == b.constant_b &&
           a.running_mode == b.running_mode && a.running_decay == b.running_decay &&
           a.kl_beta == b.kl_beta && a.kl_mode == b.kl_mode && a.entropy == b.entropy &&
           a.clip == b.clip;
}

}  // namespace

std::string restart_reason(const core::Experiment& now, const core::Experiment& next) {
    if (next.n != now.n) return "Number of actions changed";
    if (next.runs != now.runs) return "Number of runs changed";
    if (next.parameterization != now.parameterization) return "Parameterisation changed";
    if (next.init_logits != now.init_logits) return "Initial policy changed";
    if (next.seed != now.seed) return "Seed changed";
    if (next.arm_mean_sd != now.arm_mean_sd) return "Arm-mean spread changed";
    return {};
}

bool same_rewards(const core::Experiment& a, const core::Experiment& b) {
    return a.n == b.n && a.arm_mean_sd == b.arm_mean_sd && a.seed == b.seed &&
           (!core::has_per_run_rewards(a) || a.runs == b.runs) &&
           std::equal(a.rewards.begin(), a.rewards.end(), b.rewards.begin(), b.rewards.end(),
                      same_model);
}

bool same_estimator(const core::Experiment& a, const core::Experiment& b) {
    return same_rewards(a, b) && a.parameterization == b.parameterization &&
           a.ref_log_probs == b.ref_log_probs && same_settings_but_lr(a.estimator, b.estimator);
}

}  // namespace rl::live
