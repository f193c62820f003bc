#pragma once

// A brute-force oracle for the K-sample REINFORCE estimator. It shares no formula with
// src/core/exact.cpp: it enumerates every outcome of K i.i.d. samples (as multisets of
// (action, reward outcome) categories with multinomial probabilities), evaluates the estimator
// exactly as the app defines it,
//     g = (1/K) sum_k A_k s_{y_k} + deterministic part,
// with core's compute_advantages (the one piece of app arithmetic it trusts, so that "the same
// estimator" means the same advantages) and its own softmax, score, KL and entropy terms, and
// returns the exact moments the statistical tests need. Only fixed and Bernoulli rewards can be
// enumerated; Gaussian rewards get the closed-form moment helpers at the bottom.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/advantages.hpp"
#include "core/estimator.hpp"
#include "core/policy.hpp"
#include "core/reward_model.hpp"

namespace rl_test {

struct OracleProblem {
    std::vector<double> logits;
    rl::core::Parameterization param = rl::core::Parameterization::kFree;
    std::vector<rl::core::RewardModel> rewards;  // fixed or Bernoulli only
    std::vector<double> ref_logits;              // empty: no reference policy (KL terms vanish)
    rl::core::EstimatorSettings settings;  // baseline, constant_b, kl_*, entropy; K is an argument
};

struct OracleResult {
    std::size_t n = 0;
    std::size_t dim = 0;
    std::vector<double> pi;
    std::vector<double> log_pi;
    std::vector<double> rbar_used;      // E[R | a] after the KL fold, what the estimator sees
    std::vector<double> deterministic;  // the sample-free part of g
    std::vector<double> true_gradient;  // gradient of the objective (restricted to dim)
    double J_used = 0.0;                // sum pi_a rbar_used_a
    double fixed_baseline = 0.0;        // what the non-batch kinds subtract
    std::vector<double> mean;           // E[g], length n
    std::vector<double> cov;            // n x n row-major, zero beyond dim
    double trace = 0.0;                 // tr Cov
    double trace_cov2 = 0.0;            // tr(Cov^2) = sum_ij Cov_ij^2
    double fourth = 0.0;                // E |g - E g|^4
    double uphill = 0.0;                // P(<g, true gradient> > 0)
    double mean_cos = 0.0;              // E[cos(g, true gradient)], cos = 0 when g = 0
    double mean_cos2 = 0.0;             // E[cos^2]
    double total_probability = 0.0;     // sums to 1: a self-check of the enumeration
    std::size_t outcomes = 0;

    double cov_at(std::size_t i, std::size_t j) const { return cov[i * n + j]; }
    double quad(std::span<const double> v) const {
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                s += v[i] * cov_at(i, j) * v[j];
        return s;
    }
    double dot(std::span<const double> a, std::span<const double> b) const {
        double s = 0.0;
        for (std::size_t i = 0; i < dim; ++i)
            s += a[i] * b[i];
        return s;
    }
    // Variance of the unbiased sample trace (1/(M-1)) sum |g_i - gbar|^2 over M i.i.d.
    // estimates: Var = (E|d|^4 - tr^2) / M + 2 tr(C^2) / (M (M - 1)). (Expand
    // Var(sum_j s_jj) with the scalar identity Var(s^2) = (mu4 - (M-3)/(M-1) sigma^4) / M
    // generalised to covariances of the diagonal entries.)
    double sample_trace_variance(double M) const {
        return (fourth - trace * trace) / M + 2.0 * trace_cov2 / (M * (M - 1.0));
    }
};

namespace detail {

inline std::vector<double> log_softmax(std::span<const double> logits) {
    const double top = *std::max_element(logits.begin(), logits.end());
    double total = 0.0;
    for (double l : logits)
        total += std::exp(l - top);
    std::vector<double> out(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i)
        out[i] = logits[i] - top - std::log(total);
    return out;
}

struct Category {
    std::uint32_t action;
    double reward;       // the reward as drawn
    double probability;  // pi_a * P(this reward | a)
};

inline double factorial(int k) {
    double f = 1.0;
    for (int i = 2; i <= k; ++i)
        f *= i;
    return f;
}

}  // namespace detail

// The exact distribution of the K-sample estimate. Throws for Gaussian rewards.
inline OracleResult enumerate_estimator(const OracleProblem& p, int K) {
    using rl::core::BaselineKind;
    OracleResult r;
    r.n = p.logits.size();
    r.dim = p.param == rl::core::Parameterization::kPinnedLast ? r.n - 1 : r.n;
    const std::size_t n = r.n, dim = r.dim;
    const rl::core::EstimatorSettings& s = p.settings;

    r.log_pi = detail::log_softmax(p.logits);
    r.pi.resize(n);
    for (std::size_t a = 0; a < n; ++a)
        r.pi[a] = std::exp(r.log_pi[a]);

    // KL(pi || ref) and H(pi); 0 log 0 = 0.
    const bool has_ref = !p.ref_logits.empty() && s.kl_beta > 0.0;
    std::vector<double> log_ratio(n, 0.0);
    double kl = 0.0, entropy = 0.0;
    if (has_ref) {
        const std::vector<double> ref_log = detail::log_softmax(p.ref_logits);
        for (std::size_t a = 0; a < n; ++a) {
            log_ratio[a] = r.log_pi[a] - ref_log[a];
            if (r.pi[a] > 0.0) kl += r.pi[a] * log_ratio[a];
        }
    }
    for (std::size_t a = 0; a < n; ++a)
        if (r.pi[a] > 0.0) entropy -= r.pi[a] * r.log_pi[a];
    const double beta = has_ref ? s.kl_beta : 0.0;
    const bool fold = beta > 0.0 && s.kl_mode == rl::core::KlMode::kReward;

    // Reward shift of the KL fold: the estimator scores R - beta (log pi_a - log ref_a).
    std::vector<double> shift(n, 0.0);
    if (fold)
        for (std::size_t a = 0; a < n; ++a)
            shift[a] = beta * log_ratio[a];

    r.rbar_used.resize(n);
    for (std::size_t a = 0; a < n; ++a) {
        const rl::core::RewardModel& m = p.rewards[a];
        double e = 0.0;
        if (m.kind == rl::core::RewardKind::kFixed) {
            e = m.value;
        } else if (m.kind == rl::core::RewardKind::kBernoulli) {
            e = m.lo + m.p * (m.hi - m.lo);
        } else {
            throw std::invalid_argument("the oracle enumerates fixed and Bernoulli rewards only");
        }
        r.rbar_used[a] = e - shift[a];
        r.J_used += r.pi[a] * r.rbar_used[a];
    }

    // d/dtheta_j of KL = pi_j (log_ratio_j - KL); of H = -pi_j (log pi_j + H).
    r.deterministic.assign(n, 0.0);
    for (std::size_t j = 0; j < dim; ++j) {
        double d = 0.0;
        if (beta > 0.0 && s.kl_mode == rl::core::KlMode::kPenalty)
            d -= beta * r.pi[j] * (log_ratio[j] - kl);
        if (s.entropy != 0.0) d -= s.entropy * r.pi[j] * (r.log_pi[j] + entropy);
        r.deterministic[j] = d;
    }
    r.true_gradient.assign(n, 0.0);
    for (std::size_t j = 0; j < dim; ++j)
        r.true_gradient[j] = r.pi[j] * (r.rbar_used[j] - r.J_used) + r.deterministic[j];

    std::vector<detail::Category> cats;
    for (std::uint32_t a = 0; a < n; ++a) {
        if (!(r.pi[a] > 0.0)) continue;
        const rl::core::RewardModel& m = p.rewards[a];
        if (m.kind == rl::core::RewardKind::kFixed) {
            cats.push_back({a, m.value, r.pi[a]});
        } else {
            if (m.p < 1.0) cats.push_back({a, m.lo, r.pi[a] * (1.0 - m.p)});
            if (m.p > 0.0) cats.push_back({a, m.hi, r.pi[a] * m.p});
        }
    }

    // The score e_a - pi restricted to the first dim components.
    auto score = [&](std::uint32_t a, std::size_t j) { return (j == a ? 1.0 : 0.0) - r.pi[j]; };

    // Every multiset of K categories with its multinomial probability and its estimate.
    struct Outcome {
        double prob;
        std::vector<double> g;
    };
    std::vector<Outcome> outcomes;
    std::vector<int> counts(cats.size(), 0);

    auto evaluate = [&](double fixed_b, int k_samples) {
        outcomes.clear();
        const auto k_size = static_cast<std::size_t>(k_samples);
        std::vector<double> rewards(k_size), adv(k_size);
        std::vector<std::uint32_t> actions(k_size);
        auto emit = [&]() {
            double prob = detail::factorial(k_samples);
            std::size_t k = 0;
            for (std::size_t c = 0; c < cats.size(); ++c) {
                prob *= std::pow(cats[c].probability, counts[c]) / detail::factorial(counts[c]);
                for (int i = 0; i < counts[c]; ++i, ++k) {
                    actions[k] = cats[c].action;
                    rewards[k] = cats[c].reward - shift[cats[c].action];
                }
            }
            rl::core::compute_advantages(s.baseline, fixed_b, rewards, adv);
            Outcome o{prob, std::vector<double>(n, 0.0)};
            for (std::size_t j = 0; j < dim; ++j) {
                double sum = 0.0;
                for (std::size_t i = 0; i < k_size; ++i)
                    sum += adv[i] * score(actions[i], j);
                o.g[j] = sum / k_samples + r.deterministic[j];
            }
            outcomes.push_back(std::move(o));
        };
        // Distribute the samples over the categories.
        auto recurse = [&](auto&& self, std::size_t c, int left) -> void {
            if (c + 1 == cats.size()) {
                counts[c] = left;
                emit();
                return;
            }
            for (int take = left; take >= 0; --take) {
                counts[c] = take;
                self(self, c + 1, left - take);
            }
        };
        recurse(recurse, 0, k_samples);
    };

    auto trace_of = [&]() {
        std::vector<double> mu(n, 0.0);
        for (const Outcome& o : outcomes)
            for (std::size_t j = 0; j < n; ++j)
                mu[j] += o.prob * o.g[j];
        double t = 0.0;
        for (const Outcome& o : outcomes)
            for (std::size_t j = 0; j < n; ++j)
                t += o.prob * (o.g[j] - mu[j]) * (o.g[j] - mu[j]);
        return t;
    };

    // b* by its defining property, not by its formula: the one-sample trace is a quadratic in a
    // constant b, so three evaluations fix it and the vertex is the variance-optimal constant.
    // (compute_advantages with any fixed-baseline kind subtracts the value it is given.)
    if (s.baseline == BaselineKind::kOptimal) {
        const double c = r.J_used;
        double t[3];
        for (int i = 0; i < 3; ++i) {
            evaluate(c + (i - 1), 1);
            t[i] = trace_of();
        }
        // t(c + x) = A x^2 + B x + C with A = (t+ + t- - 2 t0) / 2 and B = (t+ - t-) / 2.
        const double A = (t[2] + t[0] - 2.0 * t[1]) / 2.0;
        const double B = (t[2] - t[0]) / 2.0;
        r.fixed_baseline = A > 0.0 ? c - B / (2.0 * A) : c;
    } else if (s.baseline == BaselineKind::kExpected) {
        r.fixed_baseline = r.J_used;
    } else if (s.baseline == BaselineKind::kConstant) {
        r.fixed_baseline = s.constant_b;
    } else {
        r.fixed_baseline = 0.0;
    }

    evaluate(r.fixed_baseline, K);
    r.outcomes = outcomes.size();

    r.mean.assign(n, 0.0);
    for (const Outcome& o : outcomes) {
        r.total_probability += o.prob;
        for (std::size_t j = 0; j < n; ++j)
            r.mean[j] += o.prob * o.g[j];
    }
    r.cov.assign(n * n, 0.0);
    const double tg_norm = std::sqrt(r.dot(r.true_gradient, r.true_gradient));
    std::vector<double> d(n);
    // The engine's rule (engine/cloud_parts.hpp): an estimate at rounding size relative to the
    // root-mean-square length has no direction.
    double mean_norm2 = 0.0;
    for (const Outcome& o : outcomes)
        mean_norm2 += o.prob * r.dot(o.g, o.g);
    const double zero_norm = 1e-12 * std::sqrt(mean_norm2);
    for (const Outcome& o : outcomes) {
        double d2 = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            d[j] = o.g[j] - r.mean[j];
            d2 += d[j] * d[j];
        }
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                r.cov[i * n + j] += o.prob * d[i] * d[j];
        r.fourth += o.prob * d2 * d2;
        const double along = r.dot(o.g, r.true_gradient);
        const double g_norm = std::sqrt(r.dot(o.g, o.g));
        if (along > 0.0 && g_norm > zero_norm) r.uphill += o.prob;
        if (g_norm > zero_norm && tg_norm > 0.0) {
            const double c = along / (g_norm * tg_norm);
            r.mean_cos += o.prob * c;
            r.mean_cos2 += o.prob * c * c;
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        r.trace += r.cov_at(i, i);
    for (double c : r.cov)
        r.trace_cov2 += c * c;
    return r;
}

// ---- Closed-form moments, for rewards that cannot be enumerated (Gaussian) and for K beyond
// what enumeration reaches.

// Raw moments E[X], E[X^2], E[X^3], E[X^4] of one action's centred-by-baseline reward X = R - b.
struct RawMoments {
    double m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0;
};

// X ~ Normal(mu, v): E X = mu, E X^2 = mu^2 + v, E X^3 = mu^3 + 3 mu v,
// E X^4 = mu^4 + 6 mu^2 v + 3 v^2 (the moment generating function, or Isserlis).
inline RawMoments gaussian_moments(double mu, double v) {
    return {mu, mu * mu + v, mu * mu * mu + 3.0 * mu * v,
            mu * mu * mu * mu + 6.0 * mu * mu * v + 3.0 * v * v};
}

// X takes lo with probability 1 - p and hi with probability p.
inline RawMoments two_point_moments(double lo, double hi, double p) {
    auto m = [&](int k) { return (1.0 - p) * std::pow(lo, k) + p * std::pow(hi, k); };
    return {m(1), m(2), m(3), m(4)};
}

struct OneSampleMoments {
    std::vector<double> mean;  // G = sum_a pi_a E[X_a] s_a
    std::vector<double> cov;   // dim x dim
    double trace = 0.0;
    double trace_cov2 = 0.0;
    double fourth = 0.0;  // E |g - G|^4
};

// The one-sample estimate g = X s_y with y ~ pi and X | y having the given raw moments; scores
// restricted to the first dim components. With d = X s_a - G given y = a and
// |d|^2 = X^2 S - 2 X P + Q (S = |s_a|^2, P = <s_a, G>, Q = |G|^2),
//     E|d|^4 = S^2 E X^4 - 4 S P E X^3 + (4 P^2 + 2 S Q) E X^2 - 4 P Q E X + Q^2,
// averaged over a with weights pi_a. (Squaring the trinomial and taking expectations term by
// term; the deterministic part of g shifts g and its mean alike and drops out.)
inline OneSampleMoments one_sample_moments(std::span<const double> pi, std::size_t dim,
                                           std::span<const RawMoments> x) {
    const std::size_t n = pi.size();
    OneSampleMoments out;
    out.mean.assign(dim, 0.0);
    auto s = [&](std::size_t a, std::size_t j) { return (j == a ? 1.0 : 0.0) - pi[j]; };
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t j = 0; j < dim; ++j)
            out.mean[j] += pi[a] * x[a].m1 * s(a, j);
    double Q = 0.0;
    for (double g : out.mean)
        Q += g * g;
    out.cov.assign(dim * dim, 0.0);
    for (std::size_t a = 0; a < n; ++a) {
        double S = 0.0, P = 0.0;
        for (std::size_t j = 0; j < dim; ++j) {
            S += s(a, j) * s(a, j);
            P += s(a, j) * out.mean[j];
        }
        for (std::size_t i = 0; i < dim; ++i)
            for (std::size_t j = 0; j < dim; ++j)
                out.cov[i * dim + j] += pi[a] * x[a].m2 * s(a, i) * s(a, j);
        out.fourth +=
            pi[a] * (S * S * x[a].m4 - 4.0 * S * P * x[a].m3 +
                     (4.0 * P * P + 2.0 * S * Q) * x[a].m2 - 4.0 * P * Q * x[a].m1 + Q * Q);
    }
    for (std::size_t i = 0; i < dim; ++i)
        for (std::size_t j = 0; j < dim; ++j)
            out.cov[i * dim + j] -= out.mean[i] * out.mean[j];
    for (std::size_t i = 0; i < dim; ++i)
        out.trace += out.cov[i * dim + i];
    for (double c : out.cov)
        out.trace_cov2 += c * c;
    return out;
}

// The mean of K i.i.d. copies of d (zero mean, trace t, tr(C^2) = t2, E|d|^4 = f):
// |dbar|^4 = K^-4 sum_{ijkl} <d_i,d_j><d_k,d_l>; only i=j=k=l (K f) and the three pairings with
// two distinct indices (K (K-1) (t^2 + 2 t2)) survive the expectation.
inline double k_mean_fourth(double f, double t, double t2, double K) {
    return (K * f + K * (K - 1.0) * (t * t + 2.0 * t2)) / (K * K * K * K);
}

}  // namespace rl_test
