#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/estimator.hpp"
#include "core/policy_point.hpp"

// The closed forms of docs/MATH.md. The covariance of every estimator with a closed form has the
// shape Cov = sum_a alpha_a s_a s_a^T + beta G G^T (s_a the score of action a, G the policy
// gradient), so one model gives its trace, its variance along any direction, and its action on a
// vector; the trace formulas there are the special case of the identity projection.
namespace rl::core {

// grad J = pi * (rbar - J), zero beyond dim. Without KL or entropy terms this is the true
// gradient; objective_gradient adds the exact deterministic part.
std::vector<double> policy_gradient(const PolicyPoint& pt);
std::vector<double> objective_gradient(const PolicyPoint& pt);

// Variance-optimal constant baseline b* = sum pi_a rbar_a |s_a|^2 / sum pi_a |s_a|^2.
double optimal_baseline(const PolicyPoint& pt);

// The constant a non-batch baseline subtracts at this policy (none: 0, constant: b, expected: J,
// optimal: b*). running_value is used for the running mean.
double fixed_baseline_value(const PolicyPoint& pt, const EstimatorSettings& s,
                            double running_value);

// |s_a|^2 restricted to the first dim components.
double score_norm2(const PolicyPoint& pt, std::size_t a);

struct CovarianceModel {
    std::vector<double> alpha;
    double beta = 0.0;
};

// For a constant baseline b: one-sample covariance / K.
CovarianceModel constant_baseline_covariance(const PolicyPoint& pt, double b, int K);
// Leave-one-out (K >= 2) and batch mean including self (= ((K-1)/K)^2 times RLOO).
CovarianceModel rloo_covariance(const PolicyPoint& pt, int K);
CovarianceModel batch_mean_covariance(const PolicyPoint& pt, int K);

double covariance_trace(const PolicyPoint& pt, const CovarianceModel& m);
// v^T Cov v for a direction v of length N.
double covariance_along(const PolicyPoint& pt, const CovarianceModel& m, std::span<const double> v);
// Cov x, zero beyond dim. Iterative callers pass policy_gradient(pt) once instead of having it
// recomputed on every call.
std::vector<double> covariance_apply(const PolicyPoint& pt, const CovarianceModel& m,
                                     std::span<const double> x,
                                     std::span<const double> gradient = {});

// SNR = |E g| / sqrt(tr Cov): 0 with no signal, infinite with signal and no noise.
double signal_to_noise(double mean_norm, double trace_cov);

// Why signal_to_noise has no number to show, "" when it has one: with no noise the ratio is
// unbounded, and with neither signal nor noise it is 0/0. Displays and files show the SNR as
// absent with this reason instead of as infinity or 0.
std::string snr_undefined_reason(double mean_norm, double trace_cov);

// The exact mean and covariance of the K-sample estimate, when a closed form exists.
struct ExactEstimate {
    bool closed_form = false;
    std::string reason;        // why not, when there is no closed form
    std::vector<double> mean;  // E[g], length N
    CovarianceModel covariance;
    double trace_cov = 0.0;
    double snr = 0.0;        // infinite when there is no noise
    std::string snr_reason;  // snr_undefined_reason: why snr is no number to show
};

ExactEstimate exact_estimate(const PolicyPoint& pt, const EstimatorSettings& s, int K);

// The covariance the cloud's second axis is chosen from: the estimator's own when it has a closed
// form, otherwise the E[R]-baseline estimator's, the closest one with a closed form.
CovarianceModel basis_covariance(const PolicyPoint& pt, const EstimatorSettings& s, int K);

}  // namespace rl::core
