#pragma once

#include <array>
#include <string_view>

namespace rl::core {

enum class BaselineKind {
    kNone,       // b = 0: plain REINFORCE
    kConstant,   // a fixed b chosen by the user
    kRunning,    // running mean of past rewards (EMA, or 1/t average including this step)
    kBatchMean,  // mean of this batch, including the sample itself: biased by (1 - 1/K)
    kRloo,       // leave-one-out mean of the other K - 1 samples: unbiased
    kExpected,   // oracle E[R] under the current policy
    kOptimal,    // oracle variance-optimal constant b*
    kGroupNorm,  // (R - batch mean) / batch std, as in GRPO
};

inline constexpr std::array kAllBaselines = {
    BaselineKind::kNone, BaselineKind::kConstant, BaselineKind::kRunning, BaselineKind::kBatchMean,
    BaselineKind::kRloo, BaselineKind::kExpected, BaselineKind::kOptimal, BaselineKind::kGroupNorm};

std::string_view to_string(BaselineKind kind);
bool parse_baseline(std::string_view text, BaselineKind& out);

enum class RunningMode {
    kEma,      // b = decayed average of past batch means; this step's rewards are not in it
    kAverage,  // b = average of every reward so far including this step's (Sutton & Barto 2.8)
};
std::string_view to_string(RunningMode mode);
bool parse_running_mode(std::string_view text, RunningMode& out);

enum class KlMode {
    kPenalty,  // exact gradient of -beta KL(pi || ref) added to the estimate
    kReward,   // folded into each sample's reward: R - beta (log pi(y) - log ref(y))
};
std::string_view to_string(KlMode mode);
bool parse_kl_mode(std::string_view text, KlMode& out);

struct EstimatorSettings {
    int K = 1;
    BaselineKind baseline = BaselineKind::kNone;
    double constant_b = 0.0;  // the constant baseline; also the EMA's starting value
    RunningMode running_mode = RunningMode::kEma;
    double running_decay = 0.9;
    double kl_beta = 0.0;
    KlMode kl_mode = KlMode::kPenalty;
    double entropy = 0.0;  // entropy bonus coefficient
    double clip = 0.0;     // gradient-norm clip; 0 turns clipping off
    double lr = 0.1;       // learning rate alpha
};

// Whether DESIGN.md has a closed form for this estimator's mean and covariance. When not, the
// reason is what the app shows beside its Monte Carlo values.
bool has_closed_form(const EstimatorSettings& s, int K);
std::string_view no_closed_form_reason(const EstimatorSettings& s, int K);

}  // namespace rl::core
