#include "engine/cloud_parts.hpp"

#include <algorithm>
#include <cmath>

#include "core/exact.hpp"
#include "engine/cloud_basis.hpp"

namespace rl::engine {

CloudResult cloud_exact_part(const core::PolicyPoint& pt, const core::EstimatorSettings& est, int K,
                             std::span<const double> y_hint) {
    CloudResult result;
    result.true_gradient = core::objective_gradient(pt);
    const CloudBasis basis =
        cloud_basis(pt, result.true_gradient, core::basis_covariance(pt, est, K), y_hint);
    result.axis_x = basis.x;
    result.axis_y = basis.y;
    result.true_x = core::dot_dim(pt, result.true_gradient, basis.x);
    result.true_y = core::dot_dim(pt, result.true_gradient, basis.y);
    result.exact = core::exact_estimate(pt, est, K);
    if (result.exact.closed_form) {
        const ProjectedEstimate p = project_estimate(pt, result.exact, basis.x, basis.y);
        result.exact_mean_x = p.mean_x;
        result.exact_mean_y = p.mean_y;
        result.exact_var_x = p.var_x;
        result.exact_var_y = p.var_y;
        result.exact_cov_xy = p.cov_xy;
    }
    return result;
}

ProjectedEstimate project_estimate(const core::PolicyPoint& pt, const core::ExactEstimate& e,
                                   std::span<const double> x, std::span<const double> y) {
    const core::CovarianceModel& c = e.covariance;
    ProjectedEstimate p;
    p.mean_x = core::dot_dim(pt, e.mean, x);
    p.mean_y = core::dot_dim(pt, e.mean, y);
    p.var_x = core::covariance_along(pt, c, x);
    p.var_y = core::covariance_along(pt, c, y);
    std::vector<double> diagonal(pt.n);
    for (std::size_t i = 0; i < pt.n; ++i)
        diagonal[i] = x[i] + y[i];
    // Var(x + y) = Var x + Var y + 2 Cov(x, y).
    p.cov_xy = 0.5 * (core::covariance_along(pt, c, diagonal) - p.var_x - p.var_y);
    return p;
}

CloudProjections cloud_projections(const core::PolicyPoint& pt, const CloudResult& r) {
    CloudProjections p;
    p.pi_x = core::dot_dim(pt, pt.pi, r.axis_x);
    p.pi_y = core::dot_dim(pt, pt.pi, r.axis_y);
    p.d_x = core::dot_dim(pt, pt.deterministic, r.axis_x);
    p.d_y = core::dot_dim(pt, pt.deterministic, r.axis_y);
    p.pi_pi = core::dot_dim(pt, pt.pi, pt.pi);
    p.pi_d = core::dot_dim(pt, pt.pi, pt.deterministic);
    p.d_d = core::dot_dim(pt, pt.deterministic, pt.deterministic);
    return p;
}

void finish_cloud(CloudResult& result, const core::PolicyPoint& pt, std::span<const double> px,
                  std::span<const double> py, std::span<const double> action_sums,
                  double scaled_mean_adv, double scale_sum) {
    const auto M = static_cast<int>(px.size());
    const double inv_m = 1.0 / M;
    result.mean.assign(pt.n, 0.0);
    for (std::size_t a = 0; a < pt.dim; ++a)
        result.mean[a] =
            (action_sums[a] - scaled_mean_adv * pt.pi[a] + scale_sum * pt.deterministic[a]) * inv_m;

    result.x.resize(M);
    result.y.resize(M);
    double sum_x = 0.0, sum_y = 0.0, sum_norm2 = 0.0, sum_cos = 0.0;
    for (int b = 0; b < M; ++b)
        sum_norm2 += result.norm2[b];
    // An estimate that is 0 in exact arithmetic (every sample on one action, say, whose
    // advantages sum to 0) comes out of rounding as some 1e-17 pointing anywhere; it has no
    // direction, so it is neither uphill nor at any angle (docs/MATH.md section 8).
    const double zero_norm2 = kRoundingZero * kRoundingZero * sum_norm2 * inv_m;
    int uphill = 0;
    for (int b = 0; b < M; ++b) {
        sum_x += px[b];
        sum_y += py[b];
        if (result.norm2[b] > zero_norm2) {
            if (px[b] > 0.0) ++uphill;
            sum_cos += px[b] / std::sqrt(result.norm2[b]);
        }
        result.x[b] = static_cast<float>(px[b]);
        result.y[b] = static_cast<float>(py[b]);
    }
    result.mean_x = sum_x * inv_m;
    result.mean_y = sum_y * inv_m;
    const double mean_norm2 = core::dot_dim(pt, result.mean, result.mean);
    result.trace_cov = std::max(0.0, (sum_norm2 - M * mean_norm2) / (M - 1));
    result.snr_reason = core::snr_undefined_reason(std::sqrt(mean_norm2), result.trace_cov);
    result.snr = result.snr_reason.empty()
                     ? core::signal_to_noise(std::sqrt(mean_norm2), result.trace_cov)
                     : 0.0;
    result.uphill_share = static_cast<double>(uphill) * inv_m;
    result.mean_cosine = sum_cos * inv_m;
}

}  // namespace rl::engine
