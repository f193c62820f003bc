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

namespace {
// The batch mean's E[g] = (K - 1)/K G + d (section 6); every other closed form's is G + d.
double mean_shrink(BaselineKind baseline, int K) {
    return baseline == BaselineKind::kBatchMean ? (K - 1.0) / K : 1.0;
}

double norm_of_mean(std::span<const double> g, std::span<const double> d, std::size_t dim,
                    double shrink) {
    double s = 0.0;
    for (std::size_t i = 0; i < dim; ++i) {
        const double m = shrink * g[i] + d[i];
        s += m * m;
    }
    return std::sqrt(s);
}
}  // namespace

ClosedFormTrace::ClosedFormTrace(const PolicyPoint& pt, const EstimatorSettings& s)
    : m_shape(s.baseline == BaselineKind::kRloo || s.baseline == BaselineKind::kBatchMean
                  ? s.baseline
                  : BaselineKind::kConstant),
      m_dim(pt.dim) {
    const std::vector<double> g = policy_gradient(pt);
    m_g2 = dot_dim(pt, g, g);
    const double pi2 = dot_dim(pt, pt.pi, pt.pi);
    m_m1 = pt.J;
    const double b = m_shape == BaselineKind::kConstant ? fixed_baseline_value(pt, s, 0.0) : 0.0;
    for (std::size_t a = 0; a < pt.n; ++a) {
        const double r = pt.rbar[a];
        const double weighted = pt.pi[a] * score_norm2_given(pt, a, pi2);
        if (m_shape == BaselineKind::kConstant) {
            m_sum += weighted * ((r - b) * (r - b) + pt.var[a]);
        } else {
            m_sum += weighted * (r * r + pt.var[a] - 2.0 * m_m1 * r);
            m_m2 += pt.pi[a] * (r * r + pt.var[a]);
            m_score += weighted;
        }
    }
    if (m_shape == BaselineKind::kBatchMean) {
        m_g = g;
        m_d = pt.deterministic;
    } else {
        m_mean_norm = norm_of_mean(g, pt.deterministic, pt.dim, 1.0);
    }
}

double ClosedFormTrace::trace_cov(int K) const {
    const double k = K;
    // Table of section 9, summed against ||s_a||^2: alpha's sums times their K-factors.
    if (m_shape == BaselineKind::kConstant) return (m_sum - m_g2) / k;
    if (K < 2) return 0.0;  // RLOO needs two samples; a batch mean of one gives g = 0
    const double pair = (m_m2 + (k - 2.0) * m_m1 * m_m1) / (k * (k - 1.0));
    const double rloo = m_sum / k + pair * m_score + (-1.0 / k + 1.0 / (k * (k - 1.0))) * m_g2;
    if (m_shape == BaselineKind::kRloo) return rloo;
    const double shrink = (k - 1.0) / k;
    return shrink * shrink * rloo;
}

double ClosedFormTrace::mean_norm(int K) const {
    if (m_shape != BaselineKind::kBatchMean) return m_mean_norm;
    return norm_of_mean(m_g, m_d, m_dim, mean_shrink(m_shape, K));
}

ExactEstimate exact_estimate(const PolicyPoint& pt, const EstimatorSettings& s, int K) {
    ExactEstimate e;
    e.reason = std::string(no_closed_form_reason(s, K));
    e.closed_form = e.reason.empty();
    if (!e.closed_form) return e;

    e.mean = policy_gradient(pt);
    const double shrink = mean_shrink(s.baseline, K);
    for (std::size_t a = 0; a < pt.n; ++a)
        e.mean[a] = shrink * e.mean[a] + pt.deterministic[a];
    e.covariance = closed_form_covariance(pt, s, K);
    const ClosedFormTrace traces(pt, s);
    e.trace_cov = traces.trace_cov(K);
    const double mean_norm = traces.mean_norm(K);
    e.snr = signal_to_noise(mean_norm, e.trace_cov);
    e.snr_reason = snr_undefined_reason(mean_norm, e.trace_cov);
    return e;
}

CovarianceModel basis_covariance(const PolicyPoint& pt, const EstimatorSettings& s, int K) {
    if (has_closed_form(s, K)) return closed_form_covariance(pt, s, K);
    return constant_baseline_covariance(pt, pt.J, K);
}

}  // namespace rl::core
