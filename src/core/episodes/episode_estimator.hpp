#pragma once

#include "core/estimator.hpp"

// How one sampled episode is turned into a gradient estimate: each decision's score psi_t is
// weighted by a credit W_t minus a baseline b_t, and g = sum_t (W_t - b_t) psi_t, averaged over
// K episodes. Credits are measured from the start (discounted to t = 0), so both are unbiased for
// grad J: full return W_t = R, reward-to-go W_t = gamma^t G_t.
namespace rl::core {

struct EpisodeEstimator {
    Credit credit = Credit::kFullReturn;
    BaselineKind baseline = BaselineKind::kNone;
    double constant_b = 0.0;  // in units of the credit at its own position (R, or G_t)
    int K = 1;
};

}  // namespace rl::core
