#pragma once

#include <vector>

#include "core/estimator.hpp"
#include "core/policy_point.hpp"
#include "live/runner.hpp"

// The exact SNR-against-K curves of the SNR plot.
namespace rl::live {

// 1, 2, 3, 4, 6, 8, 12, ... kSnrMaxK: two points per octave, enough for curves that bend only
// at small K (leave-one-out, batch mean).
std::vector<int> snr_curve_ks();

// One curve per baseline in kAllBaselines, at `pt` with `settings` but that baseline. A
// baseline without a closed form gets no points and the reason.
std::vector<SnrCurve> exact_snr_curves(const core::PolicyPoint& pt,
                                       const core::EstimatorSettings& settings);

}  // namespace rl::live
