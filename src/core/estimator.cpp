#include "core/estimator.hpp"

namespace rl::core {

bool has_closed_form(const EstimatorSettings& s, int K) {
    return no_closed_form_reason(s, K).empty();
}

std::string_view no_closed_form_reason(const EstimatorSettings& s, int K) {
    if (s.clip > 0.0) return kClipNoClosedForm;
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
