#include "core/estimator.hpp"

namespace rl::core {

namespace {
struct BaselineName {
    BaselineKind kind;
    std::string_view name;
};
constexpr std::array<BaselineName, 8> kBaselineNames = {{
    {BaselineKind::kNone, "none"},
    {BaselineKind::kConstant, "constant"},
    {BaselineKind::kRunning, "running"},
    {BaselineKind::kBatchMean, "batch_mean"},
    {BaselineKind::kRloo, "rloo"},
    {BaselineKind::kExpected, "expected"},
    {BaselineKind::kOptimal, "optimal"},
    {BaselineKind::kGroupNorm, "group_norm"},
}};
}  // namespace

std::string_view to_string(BaselineKind kind) {
    for (const auto& b : kBaselineNames)
        if (b.kind == kind) return b.name;
    return "none";
}

bool parse_baseline(std::string_view text, BaselineKind& out) {
    for (const auto& b : kBaselineNames) {
        if (b.name == text) {
            out = b.kind;
            return true;
        }
    }
    return false;
}

std::string_view to_string(RunningMode mode) {
    return mode == RunningMode::kAverage ? "average" : "ema";
}

bool parse_running_mode(std::string_view text, RunningMode& out) {
    if (text == "ema") {
        out = RunningMode::kEma;
    } else if (text == "average") {
        out = RunningMode::kAverage;
    } else {
        return false;
    }
    return true;
}

std::string_view to_string(KlMode mode) {
    return mode == KlMode::kReward ? "reward" : "penalty";
}

bool parse_kl_mode(std::string_view text, KlMode& out) {
    if (text == "penalty") {
        out = KlMode::kPenalty;
    } else if (text == "reward") {
        out = KlMode::kReward;
    } else {
        return false;
    }
    return true;
}

bool has_closed_form(const EstimatorSettings& s, int K) {
    return no_closed_form_reason(s, K).empty();
}

std::string_view no_closed_form_reason(const EstimatorSettings& s, int K) {
    if (s.clip > 0.0) return "gradient clipping has no closed form: Monte Carlo only";
    switch (s.baseline) {
        case BaselineKind::kRunning:
            return "a running-mean baseline depends on the history: Monte Carlo only";
        case BaselineKind::kGroupNorm:
            return "group normalisation divides by a random std: Monte Carlo only";
        case BaselineKind::kRloo:
            if (K < 2) return "leave-one-out needs K >= 2";
            return {};
        default:
            return {};
    }
}

}  // namespace rl::core
