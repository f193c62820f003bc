#include "core/exact.hpp"

#include <cmath>
#include <limits>

namespace rl::core {

std::vector<double> policy_gradient(const PolicyPoint& pt) {
    std::vector<double> g(pt.n, 0.0);
    for (std::size_t a = 0; a < pt.dim; ++a)
        g[a] = pt.pi[a] * (pt.rbar[a] - pt.J);
    return g;
}

std::vector<double> objective_gradient(const PolicyPoint& pt) {
    std::vector<double> g = policy_gradient(pt);
    for (std::size_t a = 0; a < pt.dim; ++a)
        g[a] += pt.deterministic[a];
    return g;
}

namespace {
// |s_a|^2 = 1 - 2 pi_a + |pi|^2 on the free components; pi2 is |pi|^2 restricted to them.
double score_norm2_given(const PolicyPoint& pt, std::size_t a, double pi2) {
    return a < pt.dim ? 1.0 - 2.0 * pt.pi[a] + pi2 : pi2;
}
}  // namespace

double score_norm2(const PolicyPoint& pt, std::size_t a) {
    return score_norm2_given(pt, a, dot_dim(pt, pt.pi, pt.pi));
}

double optimal_baseline(const PolicyPoint& pt) {
    const double pi2 = dot_dim(pt, pt.pi, pt.pi);
    double num = 0.0, den = 0.0;
    for (std::size_t a = 0; a < pt.n; ++a) {
        const double s2 = score_norm2_given(pt, a, pi2);
        num += pt.pi[a] * pt.rbar[a] * s2;
        den += pt.pi[a] * s2;
    }
    // A deterministic policy has no score to weight; every constant is then equally good.
    return den > 0.0 ? num / den : pt.J;
}

double fixed_baseline_value(const PolicyPoint& pt, const EstimatorSettings& s,
                            double running_value) {
    switch (s.baseline) {
        case BaselineKind::kConstant:
            return s.constant_b;
        case BaselineKind::kExpected:
            return pt.J;
        case BaselineKind::kOptimal:
            return optimal_baseline(pt);
        case BaselineKind::kRunning:
            return running_value;
        default:
            return 0.0;
    }
}

CovarianceModel constant_baseline_covariance(const PolicyPoint& pt, double b, int K) {
    CovarianceModel m;
    m.alpha.resize(pt.n);
    const double inv_k = 1.0 / K;
    for (std::size_t a = 0; a < pt.n; ++a) {
        const double c = pt.rbar[a] - b;
        m.alpha[a] = pt.pi[a] * (c * c + pt.var[a]) * inv_k;
    }
    m.beta = -inv_k;
    return m;
}

CovarianceModel rloo_covariance(const PolicyPoint& pt, int K) {
    CovarianceModel m;
    m.alpha.resize(pt.n);
    const double k = K;
    const double m1 = pt.J;
    double m2 = 0.0;
    for (std::size_t a = 0; a < pt.n; ++a)
        m2 += pt.pi[a] * (pt.rbar[a] * pt.rbar[a] + pt.var[a]);
    const double pair_term = (m2 + (k - 2.0) * m1 * m1) / (k * (k - 1.0));
    for (std::size_t a = 0; a < pt.n; ++a) {
        const double r = pt.rbar[a];
        m.alpha[a] = pt.pi[a] * ((r * r + pt.var[a] - 2.0 * m1 * r) / k + pair_term);
    }
    m.beta = -1.0 / k + 1.0 / (k * (k - 1.0));
    return m;
}

CovarianceModel batch_mean_covariance(const PolicyPoint& pt, int K) {
    // With one sample the batch mean is the sample itself: every advantage, and g, is 0.
    if (K < 2) return CovarianceModel{std::vector<double>(pt.n, 0.0), 0.0};
    CovarianceModel m = rloo_covariance(pt, K);
    const double shrink = (K - 1.0) / K;
    for (double& a : m.alpha)
        a *= shrink * shrink;
    m.beta *= shrink * shrink;
    return m;
}

double covariance_trace(const PolicyPoint& pt, const CovarianceModel& m) {
    const std::vector<double> g = policy_gradient(pt);
    const double pi2 = dot_dim(pt, pt.pi, pt.pi);
    double total = m.beta * dot_dim(pt, g, g);
    for (std::size_t a = 0; a < pt.n; ++a)
        total += m.alpha[a] * score_norm2_given(pt, a, pi2);
    return total;
}

double covariance_along(const PolicyPoint& pt, const CovarianceModel& m,
                        std::span<const double> v) {
    const std::vector<double> g = policy_gradient(pt);
    const double pi_v = dot_dim(pt, pt.pi, v);
    const double g_v = dot_dim(pt, g, v);
    double total = m.beta * g_v * g_v;
    for (std::size_t a = 0; a < pt.n; ++a) {
        const double s_v = (a < pt.dim ? v[a] : 0.0) - pi_v;
        total += m.alpha[a] * s_v * s_v;
    }
    return total;
}

std::vector<double> covariance_apply(const PolicyPoint& pt, const CovarianceModel& m,
                                     std::span<const double> x, std::span<const double> gradient) {
    std::vector<double> computed;
    if (gradient.empty()) {
        computed = policy_gradient(pt);
        gradient = computed;
    }
    const std::span<const double> g = gradient;
    const double pi_x = dot_dim(pt, pt.pi, x);
    const double g_x = dot_dim(pt, g, x);
    // sum_a alpha_a s_a <s_a, x> = sum_a alpha_a c_a (e_a - pi), with c_a = <s_a, x>.
    std::vector<double> out(pt.n, 0.0);
    double weight_sum = 0.0;
    for (std::size_t a = 0; a < pt.n; ++a) {
        const double c = m.alpha[a] * ((a < pt.dim ? x[a] : 0.0) - pi_x);
        if (a < pt.dim) out[a] += c;
        weight_sum += c;
    }
    for (std::size_t i = 0; i < pt.dim; ++i)
        out[i] += -weight_sum * pt.pi[i] + m.beta * g_x * g[i];
    return out;
}

double signal_to_noise(double mean_norm, double trace_cov) {
    if (!(mean_norm > 0.0)) return 0.0;
    if (!(trace_cov > 0.0)) return std::numeric_limits<double>::infinity();
    return mean_norm / std::sqrt(trace_cov);
}

std::string snr_undefined_reason(double mean_norm, double trace_cov) {
    if (!(trace_cov > 0.0)) {
        return mean_norm > 0.0 ? "every estimate is the same" : "every estimate is 0";
    }
    if (!std::isfinite(signal_to_noise(mean_norm, trace_cov)))
        return "too little noise to divide by";
    return {};
}

namespace {
CovarianceModel closed_form_covariance(const PolicyPoint& pt, const EstimatorSettings& s, int K) {
    switch (s.baseline) {
        case BaselineKind::kRloo:
            return rloo_covariance(pt, K);
        case BaselineKind::kBatchMean:
            return batch_mean_covariance(pt, K);
        default:
            return constant_baseline_covariance(pt, fixed_baseline_value(pt, s, 0.0), K);
    }
}
}  // namespace

ExactEstimate exact_estimate(const PolicyPoint& pt, const EstimatorSettings& s, int K) {
    ExactEstimate e;
    e.reason = std::string(no_closed_form_reason(s, K));
    e.closed_form = e.reason.empty();
    if (!e.closed_form) return e;

    e.mean = policy_gradient(pt);
    const double shrink = s.baseline == BaselineKind::kBatchMean ? (K - 1.0) / K : 1.0;
    for (std::size_t a = 0; a < pt.n; ++a)
        e.mean[a] = shrink * e.mean[a] + pt.deterministic[a];
    e.covariance = closed_form_covariance(pt, s, K);
    e.trace_cov = covariance_trace(pt, e.covariance);
    const double mean_norm = std::sqrt(dot_dim(pt, e.mean, e.mean));
    e.snr = signal_to_noise(mean_norm, e.trace_cov);
    e.snr_reason = snr_undefined_reason(mean_norm, e.trace_cov);
    return e;
}

CovarianceModel basis_covariance(const PolicyPoint& pt, const EstimatorSettings& s, int K) {
    if (has_closed_form(s, K)) return closed_form_covariance(pt, s, K);
    return constant_baseline_covariance(pt, pt.J, K);
}

}  // namespace rl::core
