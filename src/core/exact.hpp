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

// The trace of a closed-form estimator's covariance and the norm of its mean at any K, from sums
// over the actions taken once at the policy (docs/MATH.md section 9, "At every K"): an SNR curve
// over two dozen K costs about what one K does. exact_estimate() takes its trace and SNR from
// it, so a curve's points are exact_estimate()'s, bit for bit. Where K has no closed form
// (has_closed_form), the numbers mean nothing.
class ClosedFormTrace {
  public:
    ClosedFormTrace(const PolicyPoint& pt, const EstimatorSettings& s);
    double trace_cov(int K) const;
    double mean_norm(int K) const;

  private:
    BaselineKind m_shape;  // kRloo, kBatchMean, or kConstant for every fixed baseline
    std::size_t m_dim = 0;
    double m_g2 = 0.0;     // ||G||^2
    double m_sum = 0.0;    // constant b: sum_a pi_a ((rbar_a - b)^2 + v_a) |s_a|^2; RLOO's first
    double m_score = 0.0;  // sum_a pi_a |s_a|^2
    double m_m1 = 0.0, m_m2 = 0.0;
    double m_mean_norm = 0.0;      // ||G + d||: the mean of every shape but the batch mean
    std::vector<double> m_g, m_d;  // the batch mean's (K - 1)/K G + d, whose norm varies with K
};

// The covariance the cloud's second axis is chosen from: the estimator's own when it has a closed
// form, otherwise the E[R]-baseline estimator's, the closest one with a closed form.
CovarianceModel basis_covariance(const PolicyPoint& pt, const EstimatorSettings& s, int K);

}  // namespace rl::core
