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
    // Episodes only (sequence_only in choices.hpp):
    kPrefixValue,   // oracle critic: the exact value of the prefix, E[G_t | what came before]
    kLearnedValue,  // a tabular critic V(state) learned from the sampled returns
};

// What multiplies each decision's score in an episode.
enum class Credit {
    kFullReturn,  // the whole return R on every token, as REINFORCE for language models is written
    kRewardToGo,  // only the rewards from t on, since action t cannot change earlier ones
};

enum class RunningMode {
    kEma,      // b = decayed average of past batch means; this step's rewards are not in it
    kAverage,  // b = average of every reward so far including this step's (Sutton & Barto 2.8)
};

enum class KlMode {
    kPenalty,  // exact gradient of -beta KL(pi || ref) added to the estimate
    kReward,   // folded into each sample's reward: R - beta (log pi(y) - log ref(y))
};

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
    // Episodes only:
    Credit credit = Credit::kFullReturn;
    double critic_lr = 0.1;  // the learned critic's step size toward each sampled return
};

// Whether a closed form (docs/MATH.md) is known for this estimator's mean and covariance. When
// not, the reason is what the app shows beside its Monte Carlo values.
bool has_closed_form(const EstimatorSettings& s, int K);
std::string_view no_closed_form_reason(const EstimatorSettings& s, int K);
inline constexpr std::string_view kClipNoClosedForm =
    "gradient clipping has no closed form: Monte Carlo only";

}  // namespace rl::core
