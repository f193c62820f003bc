#pragma once

#include <span>
#include <vector>

#include "core/estimator.hpp"
#include "core/policy_point.hpp"
#include "engine/cloud_projections.hpp"
#include "engine/engine.hpp"

// The parts of a gradient cloud every engine computes the same way on the host: the exact side
// (true gradient, basis, closed forms) before sampling, and the reductions after it. Shared so
// the CPU and CUDA engines differ only in how they draw and score the batches.
namespace rl::engine {

// An exact estimate's mean and covariance seen on two axes (unit vectors of length N).
struct ProjectedEstimate {
    double mean_x = 0.0, mean_y = 0.0;
    double var_x = 0.0, var_y = 0.0, cov_xy = 0.0;
};
ProjectedEstimate project_estimate(const core::PolicyPoint& pt, const core::ExactEstimate& e,
                                   std::span<const double> axis_x, std::span<const double> axis_y);

// A result with the exact fields filled (true gradient, axes, closed forms) and nothing measured.
// y_hint: the previous cloud's axis_y (a warm start), or empty.
CloudResult cloud_exact_part(const core::PolicyPoint& pt, const core::EstimatorSettings& est, int K,
                             std::span<const double> y_hint = {});
CloudProjections cloud_projections(const core::PolicyPoint& pt, const CloudResult& exact_part);

// An estimate shorter than this times the cloud's root-mean-square length is 0 up to rounding:
// no direction, so neither uphill nor at an angle to the true gradient.
inline constexpr double kRoundingZero = 1e-12;

// The measured fields from per-batch projections (px, py; result.norm2 already filled) and the
// sums over batches: per action, sum of clip scale * advantage / K (length N); sum of clip
// scale * mean advantage; sum of clip scales. Everything but the histogram.
void finish_cloud(CloudResult& result, const core::PolicyPoint& pt, std::span<const double> px,
                  std::span<const double> py, std::span<const double> action_sums,
                  double scaled_mean_adv, double scale_sum);

}  // namespace rl::engine
