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

// Above this one-sample SNR the exact trace of the covariance is below 1e-12 of the squared mean:
// what rounding leaves of a variance that is zero in exact arithmetic (docs/MATH.md, "Zero
// noise"), so the curve is marked noise-free rather than drawn at ~1e10.
inline constexpr double kNoiseFreeSnr = 1e6;

// The curve of settings' own baseline.
SnrCurve exact_snr_curve(const core::PolicyPoint& pt, const core::EstimatorSettings& settings);

// One curve per baseline in kBanditBaselines, at `pt` with `settings` but that baseline. A
// baseline without a closed form gets no points and the reason.
std::vector<SnrCurve> exact_snr_curves(const core::PolicyPoint& pt,
                                       const core::EstimatorSettings& settings);

}  // namespace rl::live
