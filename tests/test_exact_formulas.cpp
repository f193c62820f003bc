// The closed forms of src/core/exact.cpp (docs/MATH.md)
// against a brute-force oracle that enumerates every outcome of K samples
// (tests/support/exact_enumeration.hpp), and against finite differences of the objective.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/advantages.hpp"
#include "core/choices.hpp"
#include "core/estimator.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "core/reward_model.hpp"
#include "core/update_step.hpp"
#include "support/exact_enumeration.hpp"
#include "support/sessions.hpp"

namespace {

using rl::core::BaselineKind;
using rl_test::OracleProblem;
using rl_test::OracleResult;

constexpr double kRel = 1e-10;

using rl_test::bernoulli_reward;
using rl_test::fixed_reward;

struct NamedProblem {
    std::string name;
    OracleProblem problem;
};

// The policies and reward problems every exact check runs on.
std::vector<NamedProblem> problems() {
    std::vector<NamedProblem> out;
    const std::vector<double> ynm_probs{0.3, 0.5, 0.2};
    {
        OracleProblem p;
        p.logits =
            rl::core::logits_from_probabilities(ynm_probs, rl::core::Parameterization::kFree);
        p.rewards = {fixed_reward(8), fixed_reward(3), fixed_reward(5)};
        out.push_back({"yes/no/maybe, free", p});
        p.param = rl::core::Parameterization::kPinnedLast;
        p.logits =
            rl::core::logits_from_probabilities(ynm_probs, rl::core::Parameterization::kPinnedLast);
        out.push_back({"yes/no/maybe, pinned", p});
    }
    {
        OracleProblem p;
        p.param = rl::core::Parameterization::kPinnedLast;
        p.logits = {0.0, 0.0};
        p.rewards = {fixed_reward(1), fixed_reward(0)};
        out.push_back({"sigmoid bandit", p});
    }
    {
        // A "random" policy: arbitrary logits, mixed fixed and Bernoulli rewards.
        OracleProblem p;
        p.logits = {0.37, -1.21, 0.84, -0.15};
        p.rewards = {bernoulli_reward(0.3, 0, 1), fixed_reward(2), bernoulli_reward(0.7, -1, 3),
                     bernoulli_reward(0.5, 1, 5)};
        out.push_back({"random N=4, Bernoulli, free", p});
        p.param = rl::core::Parameterization::kPinnedLast;
        p.logits = {1.3, -0.4, 0.25, 0.0};
        out.push_back({"random N=4, Bernoulli, pinned", p});
    }
    {
        OracleProblem p;
        p.logits = {0.2, -0.7, 0.9};
        p.rewards = {bernoulli_reward(0.25, -2, 4), fixed_reward(1.5), bernoulli_reward(0.9, 0, 2)};
        p.ref_logits = {0.0, 0.0, 0.0};
        p.settings.kl_beta = 0.5;
        p.settings.kl_mode = rl::core::KlMode::kReward;
        out.push_back({"N=3, KL folded into the reward", p});
        p.settings.kl_mode = rl::core::KlMode::kPenalty;
        p.settings.entropy = 0.3;
        out.push_back({"N=3, KL penalty and entropy bonus", p});
        p.param = rl::core::Parameterization::kPinnedLast;
        p.logits = {0.2, -0.7, 0.0};
        p.settings.kl_mode = rl::core::KlMode::kReward;
        out.push_back({"N=3 pinned, KL folded into the reward and entropy bonus", p});
    }
    return out;
}

std::vector<double> ref_log_probs(const OracleProblem& p) {
    if (p.ref_logits.empty()) return {};
    std::vector<double> probs(p.ref_logits.size()), logs(p.ref_logits.size());
    rl::core::softmax(p.ref_logits, probs, logs);
    return logs;
}

rl::core::PolicyPoint point_for(const OracleProblem& p, const rl::core::EstimatorSettings& s) {
    std::vector<double> rbar, var;
    for (const rl::core::RewardModel& m : p.rewards) {
        rbar.push_back(m.expected());
        var.push_back(m.variance());
    }
    return rl::core::make_policy_point(p.logits, p.param, rbar, var, ref_log_probs(p), s);
}

OracleProblem with_baseline(OracleProblem p, BaselineKind kind, double constant_b = 2.5) {
    p.settings.baseline = kind;
    p.settings.constant_b = constant_b;
    return p;
}

double norm(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v)
        s += x * x;
    return std::sqrt(s);
}

// Deterministic pseudo-random directions (raw mt19937_64 words, so the same on every platform).
std::vector<double> random_direction(std::mt19937_64& rng, std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v)
        x = static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0;
    return v;
}

const std::vector<BaselineKind> kClosedFormBaselines = {
    BaselineKind::kNone,    BaselineKind::kConstant,  BaselineKind::kExpected,
    BaselineKind::kOptimal, BaselineKind::kBatchMean, BaselineKind::kRloo};

}  // namespace

TEST_CASE("the enumeration oracle is a probability distribution over all outcomes") {
    // Multisets of K draws over C categories: C(K + C - 1, C - 1); the yes/no/maybe problem has
    // three categories, so K = 5 has C(7, 2) = 21 outcomes.
    const NamedProblem ynm = problems()[0];
    const OracleResult r = rl_test::enumerate_estimator(ynm.problem, 5);
    CHECK(r.outcomes == 21u);
    CHECK(std::abs(r.total_probability - 1.0) <= 1e-14);
    // The random problem: 7 categories (three Bernoulli actions with two outcomes each), K = 4.
    const OracleResult r2 = rl_test::enumerate_estimator(problems()[3].problem, 4);
    CHECK(r2.outcomes == 210u);
    CHECK(std::abs(r2.total_probability - 1.0) <= 1e-14);
}

TEST_CASE("exact_estimate mean and trace equal the enumeration oracle for every baseline") {
    for (const NamedProblem& np : problems()) {
        for (BaselineKind kind : kClosedFormBaselines) {
            for (int K : {1, 2, 3, 5, 8}) {
                if (kind == BaselineKind::kRloo && K < 2) continue;
                // Batch mean at K = 1 has its own test below.
                if (kind == BaselineKind::kBatchMean && K < 2) continue;
                const OracleProblem p = with_baseline(np.problem, kind);
                rl::core::EstimatorSettings s = p.settings;
                s.K = K;
                const rl::core::PolicyPoint pt = point_for(p, s);
                const rl::core::ExactEstimate e = rl::core::exact_estimate(pt, s, K);
                const OracleResult o = rl_test::enumerate_estimator(p, K);
                INFO(np.name << ", baseline " << rl::core::to_string(kind) << ", K = " << K);
                REQUIRE(e.closed_form);
                REQUIRE(e.mean.size() == o.mean.size());
                // Components are compared on the scale of the estimate itself, so a component
                // that is zero in exact arithmetic is not held to a relative bound.
                const double scale = norm(o.mean) + std::sqrt(o.trace);
                for (std::size_t j = 0; j < o.n; ++j) {
                    CAPTURE(j);
                    CAPTURE(e.mean[j]);
                    CAPTURE(o.mean[j]);
                    CHECK(std::abs(e.mean[j] - o.mean[j]) <= kRel * scale);
                }
                // The trace on the scale of E|g|^2 = tr + |E g|^2, so a zero-variance case (the
                // two-action bandit with b = E[R]: every sample gives the same g) is held to
                // rounding instead of to a relative bound on zero.
                const double m2 = norm(o.mean) * norm(o.mean);
                CAPTURE(e.trace_cov);
                CAPTURE(o.trace);
                CHECK(std::abs(e.trace_cov - o.trace) <= kRel * (o.trace + m2));
                CAPTURE(e.snr);
                if (o.trace <= 1e-14 * m2) {
                    CHECK(e.snr > 1e6);  // infinite, or huge if rounding left a crumb of trace
                } else {
                    // SNR = |E g| / sqrt(tr Cov).
                    const double snr = norm(o.mean) / std::sqrt(o.trace);
                    CAPTURE(snr);
                    CHECK(std::abs(e.snr - snr) <= kRel * snr);
                }
            }
        }
    }
}

TEST_CASE("exact covariance matrix: covariance_along and covariance_apply match the oracle") {
    // Cov = sum_a alpha_a s_a s_a^T + beta G G^T must be the whole matrix, not just its trace:
    // v^T C v for random directions and C x for random vectors.
    std::mt19937_64 rng(12345);
    for (const NamedProblem& np : problems()) {
        for (BaselineKind kind : kClosedFormBaselines) {
            for (int K : {2, 3, 8}) {
                const OracleProblem p = with_baseline(np.problem, kind);
                rl::core::EstimatorSettings s = p.settings;
                s.K = K;
                const rl::core::PolicyPoint pt = point_for(p, s);
                const rl::core::ExactEstimate e = rl::core::exact_estimate(pt, s, K);
                const OracleResult o = rl_test::enumerate_estimator(p, K);
                INFO(np.name << ", baseline " << rl::core::to_string(kind) << ", K = " << K);
                for (int trial = 0; trial < 4; ++trial) {
                    const std::vector<double> v = random_direction(rng, o.n);
                    const double want = o.quad(v);
                    const double got = rl::core::covariance_along(pt, e.covariance, v);
                    const double scale = o.trace * (norm(v) * norm(v));
                    CAPTURE(got);
                    CAPTURE(want);
                    CHECK(std::abs(got - want) <= kRel * scale);

                    const std::vector<double> cx = rl::core::covariance_apply(pt, e.covariance, v);
                    REQUIRE(cx.size() == o.n);
                    for (std::size_t i = 0; i < o.n; ++i) {
                        double want_i = 0.0;
                        for (std::size_t j = 0; j < o.n; ++j)
                            want_i += o.cov_at(i, j) * v[j];
                        CAPTURE(i);
                        CAPTURE(cx[i]);
                        CAPTURE(want_i);
                        CHECK(std::abs(cx[i] - want_i) <= kRel * o.trace * norm(v));
                    }
                }
            }
        }
    }
}

TEST_CASE("docs/MATH.md trace formulas, evaluated as written, match the oracle") {
    for (const NamedProblem& np : problems()) {
        for (int K : {2, 3, 5, 8}) {
            // The quantities of docs/MATH.md, with scores restricted to the first dim components.
            const OracleResult base = rl_test::enumerate_estimator(np.problem, 1);
            const std::size_t n = base.n, dim = base.dim;
            const std::vector<double>& pi = base.pi;
            const std::vector<double>& rbar = base.rbar_used;
            std::vector<double> var(n);
            for (std::size_t a = 0; a < n; ++a)
                var[a] = np.problem.rewards[a].variance();
            double pi2 = 0.0;
            for (std::size_t j = 0; j < dim; ++j)
                pi2 += pi[j] * pi[j];
            auto s2 = [&](std::size_t a) { return (a < dim ? 1.0 - 2.0 * pi[a] : 0.0) + pi2; };
            double m1 = 0.0, m2 = 0.0, q = 0.0, pp = 0.0, c = 0.0, G2 = 0.0;
            for (std::size_t a = 0; a < n; ++a) {
                m1 += pi[a] * rbar[a];
                m2 += pi[a] * (rbar[a] * rbar[a] + var[a]);
                q += pi[a] * (rbar[a] * rbar[a] + var[a]) * s2(a);
                pp += pi[a] * rbar[a] * s2(a);
                c += pi[a] * s2(a);
            }
            for (std::size_t j = 0; j < dim; ++j)
                G2 += (pi[j] * (rbar[j] - m1)) * (pi[j] * (rbar[j] - m1));
            INFO(np.name << ", K = " << K);

            // Constant b: tr Cov_1(b) = sum pi ((rbar - b)^2 + v) |s|^2 - |grad J|^2, over K.
            for (double b : {0.0, 2.5, m1}) {
                double t1 = -G2;
                for (std::size_t a = 0; a < n; ++a)
                    t1 += pi[a] * ((rbar[a] - b) * (rbar[a] - b) + var[a]) * s2(a);
                const OracleResult o = rl_test::enumerate_estimator(
                    with_baseline(np.problem, BaselineKind::kConstant, b), K);
                CAPTURE(b);
                CAPTURE(t1 / K);
                CAPTURE(o.trace);
                CHECK(std::abs(t1 / K - o.trace) <= kRel * o.trace);
            }

            // RLOO: (q - 2 m1 p - G2) / K + (m2 c + (K - 2) m1^2 c + G2) / (K (K - 1)).
            const double k = K;
            const double rloo = (q - 2.0 * m1 * pp - G2) / k +
                                (m2 * c + (k - 2.0) * m1 * m1 * c + G2) / (k * (k - 1.0));
            const OracleResult o =
                rl_test::enumerate_estimator(with_baseline(np.problem, BaselineKind::kRloo), K);
            CAPTURE(rloo);
            CAPTURE(o.trace);
            CHECK(std::abs(rloo - o.trace) <= kRel * o.trace);
        }
    }
}

TEST_CASE(
    "RLOO is unbiased; batch mean has mean (1-1/K) grad J and ((K-1)/K)^2 RLOO's covariance") {
    for (const NamedProblem& np : problems()) {
        for (int K : {2, 3, 5, 8}) {
            const OracleResult rloo =
                rl_test::enumerate_estimator(with_baseline(np.problem, BaselineKind::kRloo), K);
            const OracleResult bm = rl_test::enumerate_estimator(
                with_baseline(np.problem, BaselineKind::kBatchMean), K);
            INFO(np.name << ", K = " << K);
            const double shrink = (K - 1.0) / K;
            const double scale = norm(rloo.true_gradient) + std::sqrt(rloo.trace);
            for (std::size_t j = 0; j < rloo.n; ++j) {
                const double det = rloo.deterministic[j];
                const double grad = rloo.true_gradient[j] - det;  // the score-function part
                CAPTURE(j);
                CAPTURE(rloo.mean[j]);
                CAPTURE(bm.mean[j]);
                CAPTURE(grad);
                CHECK(std::abs(rloo.mean[j] - rloo.true_gradient[j]) <= kRel * scale);
                CHECK(std::abs(bm.mean[j] - (shrink * grad + det)) <= kRel * scale);
            }
            for (std::size_t i = 0; i < rloo.n * rloo.n; ++i) {
                CAPTURE(i);
                CAPTURE(bm.cov[i]);
                CAPTURE(rloo.cov[i]);
                CHECK(std::abs(bm.cov[i] - shrink * shrink * rloo.cov[i]) <= kRel * rloo.trace);
            }
        }
    }
}

TEST_CASE("every constant baseline is unbiased: E[g] = grad J for b = none, 2.5, E[R], b*") {
    for (const NamedProblem& np : problems()) {
        for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kConstant,
                                  BaselineKind::kExpected, BaselineKind::kOptimal}) {
            for (int K : {1, 3}) {
                const OracleResult o =
                    rl_test::enumerate_estimator(with_baseline(np.problem, kind), K);
                INFO(np.name << ", baseline " << rl::core::to_string(kind) << ", K = " << K);
                const double scale = norm(o.true_gradient) + std::sqrt(o.trace);
                for (std::size_t j = 0; j < o.n; ++j) {
                    CAPTURE(j);
                    CAPTURE(o.mean[j]);
                    CAPTURE(o.true_gradient[j]);
                    CHECK(std::abs(o.mean[j] - o.true_gradient[j]) <= kRel * scale);
                }
            }
        }
    }
}

TEST_CASE("batch mean at K = 1 subtracts the sample itself: zero advantage, zero covariance") {
    // With one sample the batch mean is the sample's own reward, every advantage is 0 and the
    // estimate is the deterministic part alone. The app allows batch_mean with K = 1.
    for (const NamedProblem& np : problems()) {
        const OracleProblem p = with_baseline(np.problem, BaselineKind::kBatchMean);
        const OracleResult o = rl_test::enumerate_estimator(p, 1);
        rl::core::EstimatorSettings s = p.settings;
        s.K = 1;
        const rl::core::PolicyPoint pt = point_for(p, s);
        const rl::core::ExactEstimate e = rl::core::exact_estimate(pt, s, 1);
        INFO(np.name);
        CHECK(o.trace == 0.0);
        REQUIRE(e.closed_form);
        CAPTURE(e.trace_cov);
        CHECK(e.trace_cov == 0.0);
        for (std::size_t j = 0; j < o.n; ++j) {
            CAPTURE(j);
            CAPTURE(e.mean[j]);
            CHECK(std::abs(e.mean[j] - o.mean[j]) <= 1e-15);
        }
    }
}

TEST_CASE("b* minimises the exact trace over constants and is not E[R]") {
    for (const NamedProblem& np : problems()) {
        const OracleProblem p = with_baseline(np.problem, BaselineKind::kOptimal);
        rl::core::EstimatorSettings s = p.settings;
        s.K = 1;
        const rl::core::PolicyPoint pt = point_for(p, s);
        const double b_star = rl::core::optimal_baseline(pt);
        // The oracle finds b* as the vertex of the enumerated trace, quadratic in b.
        const OracleResult o = rl_test::enumerate_estimator(p, 1);
        INFO(np.name);
        CAPTURE(b_star);
        CAPTURE(o.fixed_baseline);
        CHECK(std::abs(b_star - o.fixed_baseline) <= 1e-9 * std::max(1.0, std::abs(b_star)));
        CHECK(rl::core::fixed_baseline_value(pt, s, 0.0) == b_star);

        // A fine grid around b*: no constant does better.
        const double t_star =
            rl::core::covariance_trace(pt, rl::core::constant_baseline_covariance(pt, b_star, 1));
        for (int i = -200; i <= 200; ++i) {
            if (i == 0) continue;
            const double b = b_star + 0.005 * i;
            const double t =
                rl::core::covariance_trace(pt, rl::core::constant_baseline_covariance(pt, b, 1));
            CAPTURE(b);
            CAPTURE(t);
            CAPTURE(t_star);
            CHECK(t > t_star);
        }
    }
    // On yes/no/maybe b* = 3.422 / 0.62 = 5.519..., well away from E[R] = 4.9, and it is worth
    // something: its trace is below the E[R] baseline's.
    const OracleProblem ynm = problems()[0].problem;
    const OracleResult opt =
        rl_test::enumerate_estimator(with_baseline(ynm, BaselineKind::kOptimal), 1);
    const OracleResult exp =
        rl_test::enumerate_estimator(with_baseline(ynm, BaselineKind::kExpected), 1);
    CAPTURE(opt.fixed_baseline);
    CAPTURE(exp.fixed_baseline);
    CHECK(std::abs(opt.fixed_baseline - 3.422 / 0.62) <= 1e-9);
    CHECK(std::abs(exp.fixed_baseline - 4.9) <= 1e-12);
    CAPTURE(opt.trace);
    CAPTURE(exp.trace);
    CHECK(opt.trace < exp.trace - 1e-3);
}

TEST_CASE("exact SNR grows like sqrt(K) for constant baselines") {
    for (const NamedProblem& np : problems()) {
        for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kConstant,
                                  BaselineKind::kExpected, BaselineKind::kOptimal}) {
            const OracleProblem p = with_baseline(np.problem, kind);
            rl::core::EstimatorSettings s = p.settings;
            const rl::core::PolicyPoint pt = point_for(p, s);
            const double snr1 = rl::core::exact_estimate(pt, s, 1).snr;
            const OracleResult o1 = rl_test::enumerate_estimator(p, 1);
            INFO(np.name << ", baseline " << rl::core::to_string(kind));
            CAPTURE(o1.trace);
            if (o1.trace <= 1e-14 * norm(o1.mean) * norm(o1.mean)) {
                // No noise at all (the bandit with b = E[R] or b*): SNR is infinite at every K.
                CHECK(snr1 > 1e6);
                CHECK(rl::core::exact_estimate(pt, s, 64).snr > 1e6);
                continue;
            }
            for (int K = 1; K <= 1024; K *= 2) {
                const double snr = rl::core::exact_estimate(pt, s, K).snr;
                CAPTURE(K);
                CAPTURE(snr);
                CAPTURE(snr1);
                CHECK(std::abs(snr - std::sqrt(K) * snr1) <= kRel * snr);
                if (K <= 8) {
                    // And the oracle agrees: its trace falls exactly as 1/K.
                    const OracleResult o = rl_test::enumerate_estimator(p, K);
                    CHECK(std::abs(o.trace * K - o1.trace) <= kRel * o1.trace);
                }
            }
        }
    }
}

TEST_CASE("the sigmoid bandit through the oracle: E[g] = 0.25, tr Cov_1 = 0.0625") {
    const NamedProblem bandit = problems()[2];
    REQUIRE(bandit.name.find("sigmoid bandit") != std::string::npos);
    const OracleResult o = rl_test::enumerate_estimator(bandit.problem, 1);
    CAPTURE(o.mean[0]);
    CAPTURE(o.trace);
    CHECK(std::abs(o.mean[0] - 0.25) <= 1e-15);
    CHECK(o.mean[1] == 0.0);
    CHECK(std::abs(o.trace - 0.0625) <= 1e-15);
    // Half the samples point uphill (action 1: g = 0.5); the other half are exactly 0.
    CHECK(std::abs(o.uphill - 0.5) <= 1e-15);
}

namespace {

// The objective raw_J - beta KL + c H at logits theta, from scratch.
double objective_at(const OracleProblem& p, const std::vector<double>& theta) {
    const std::vector<double> pi = rl::core::softmax(theta);
    double J = 0.0, H = 0.0, kl = 0.0;
    for (std::size_t a = 0; a < pi.size(); ++a) {
        J += pi[a] * p.rewards[a].expected();
        H -= pi[a] * std::log(pi[a]);
    }
    if (!p.ref_logits.empty()) {
        const std::vector<double> ref = rl::core::softmax(p.ref_logits);
        for (std::size_t a = 0; a < pi.size(); ++a)
            kl += pi[a] * std::log(pi[a] / ref[a]);
    }
    return J - p.settings.kl_beta * kl + p.settings.entropy * H;
}

}  // namespace

TEST_CASE("the true gradient is the derivative of the objective (central differences)") {
    // Central differences with h = 1e-5 have truncation error ~h^2 |f'''| / 6 and rounding error
    // ~eps |f| / h, both below 1e-9 here; 1e-7 relative leaves room and still catches any
    // formula error (a wrong term is O(pi) in size).
    const double h = 1e-5;
    for (const NamedProblem& np : problems()) {
        rl::core::EstimatorSettings s = np.problem.settings;
        const rl::core::PolicyPoint pt = point_for(np.problem, s);
        const std::vector<double> g = rl::core::objective_gradient(pt);
        const OracleResult o = rl_test::enumerate_estimator(np.problem, 1);
        INFO(np.name);
        CAPTURE(pt.objective);
        CHECK(std::abs(pt.objective - objective_at(np.problem, np.problem.logits)) <= 1e-12);
        for (std::size_t j = 0; j < pt.n; ++j) {
            double fd = 0.0;
            if (j < pt.dim) {
                std::vector<double> up = np.problem.logits, down = np.problem.logits;
                up[j] += h;
                down[j] -= h;
                fd = (objective_at(np.problem, up) - objective_at(np.problem, down)) / (2.0 * h);
            }
            CAPTURE(j);
            CAPTURE(g[j]);
            CAPTURE(fd);
            CHECK(std::abs(g[j] - fd) <= 1e-7 * std::max(1.0, norm(g)));
            // The oracle's true gradient (its own KL and entropy code) agrees to rounding.
            CHECK(std::abs(g[j] - o.true_gradient[j]) <= 1e-12 * std::max(1.0, norm(g)));
        }
        // Without KL or entropy terms the objective gradient is policy_gradient.
        if (s.kl_beta == 0.0 && s.entropy == 0.0) {
            const std::vector<double> pg = rl::core::policy_gradient(pt);
            for (std::size_t j = 0; j < pt.n; ++j)
                CHECK(pg[j] == g[j]);
        }
    }
}

TEST_CASE("a penalty-mode KL and an entropy bonus shift the mean and leave the covariance") {
    const NamedProblem both = problems()[6];
    REQUIRE(both.name.find("penalty") != std::string::npos);
    OracleProblem plain = both.problem;
    plain.settings.kl_beta = 0.0;
    plain.settings.entropy = 0.0;
    for (BaselineKind kind : kClosedFormBaselines) {
        for (int K : {2, 5}) {
            const OracleProblem p1 = with_baseline(both.problem, kind);
            const OracleProblem p0 = with_baseline(plain, kind);
            rl::core::EstimatorSettings s1 = p1.settings, s0 = p0.settings;
            const rl::core::ExactEstimate e1 = rl::core::exact_estimate(point_for(p1, s1), s1, K);
            const rl::core::ExactEstimate e0 = rl::core::exact_estimate(point_for(p0, s0), s0, K);
            const OracleResult o1 = rl_test::enumerate_estimator(p1, K);
            INFO("baseline " << rl::core::to_string(kind) << ", K = " << K);
            CAPTURE(e1.trace_cov);
            CAPTURE(e0.trace_cov);
            CHECK(std::abs(e1.trace_cov - e0.trace_cov) <= kRel * e0.trace_cov);
            CHECK(std::abs(o1.trace - e0.trace_cov) <= kRel * e0.trace_cov);
            double shift = 0.0;
            for (std::size_t j = 0; j < e1.mean.size(); ++j) {
                shift += std::abs(e1.mean[j] - e0.mean[j]);
                CHECK(std::abs((e1.mean[j] - e0.mean[j]) - o1.deterministic[j]) <= 1e-12);
            }
            CHECK(shift > 1e-3);  // the terms are really on
        }
    }
}

TEST_CASE("compute_advantages follows the definitions the oracle relies on") {
    const std::vector<double> r{4.0, -1.0, 2.5, 0.5};
    std::vector<double> adv(4);
    const double total = 6.0;
    rl::core::compute_advantages(BaselineKind::kRloo, 0.0, r, adv);
    for (std::size_t i = 0; i < r.size(); ++i) {
        CAPTURE(i);
        CAPTURE(adv[i]);
        CHECK(std::abs(adv[i] - (r[i] - (total - r[i]) / 3.0)) <= 1e-15);
    }
    rl::core::compute_advantages(BaselineKind::kBatchMean, 0.0, r, adv);
    for (std::size_t i = 0; i < r.size(); ++i)
        CHECK(std::abs(adv[i] - (r[i] - 1.5)) <= 1e-15);
    for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kConstant, BaselineKind::kExpected,
                              BaselineKind::kOptimal, BaselineKind::kRunning}) {
        const double b = rl::core::compute_advantages(kind, 0.75, r, adv);
        INFO("baseline " << rl::core::to_string(kind));
        CHECK(b == 0.75);
        for (std::size_t i = 0; i < r.size(); ++i)
            CHECK(adv[i] == r[i] - 0.75);
    }
    // Group normalisation: (R - mean) / population std; an all-equal group gives zeros.
    rl::core::compute_advantages(BaselineKind::kGroupNorm, 0.0, r, adv);
    double ss = 0.0;
    for (double x : r)
        ss += (x - 1.5) * (x - 1.5);
    const double sd = std::sqrt(ss / 4.0);
    for (std::size_t i = 0; i < r.size(); ++i)
        CHECK(std::abs(adv[i] - (r[i] - 1.5) / sd) <= 1e-15);
    const std::vector<double> same{2.0, 2.0, 2.0};
    std::vector<double> adv3(3, 9.0);
    rl::core::compute_advantages(BaselineKind::kGroupNorm, 0.0, same, adv3);
    for (double a : adv3)
        CHECK(a == 0.0);
    // Also when their mean rounds off them: (0.1 + 0.1 + 0.1) / 3 is 0.1 + 1.4e-17, whose
    // "spread" of 1.4e-17 would give every sample an advantage of -1.
    const std::vector<double> tenths{0.1, 0.1, 0.1};
    REQUIRE((0.1 + 0.1 + 0.1) / 3.0 != 0.1);
    rl::core::compute_advantages(BaselineKind::kGroupNorm, 0.0, tenths, adv3);
    for (double a : adv3)
        CHECK(a == 0.0);
}

TEST_CASE("estimate_gradient computes (1/K) sum A_k s_{y_k} + deterministic part, then clips") {
    for (const NamedProblem& np : problems()) {
        for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kExpected, BaselineKind::kRloo,
                                  BaselineKind::kBatchMean}) {
            const OracleProblem p = with_baseline(np.problem, kind);
            rl::core::EstimatorSettings s = p.settings;
            s.K = 3;
            const rl::core::PolicyPoint pt = point_for(p, s);
            const OracleResult o = rl_test::enumerate_estimator(p, 1);
            const std::uint32_t n = static_cast<std::uint32_t>(pt.n);
            const std::vector<std::uint32_t> actions{0, n - 1, 0};
            std::vector<double> rewards{1.25, -0.5, 3.0};
            rl::core::UpdateScratch scratch;
            const double fixed_b = rl::core::fixed_baseline_value(pt, s, 0.0);
            rl::core::estimate_gradient(pt, actions, rewards, s, fixed_b, scratch);

            // The same estimate from the definitions, with the oracle's own KL shift.
            std::vector<double> used(3);
            for (int k = 0; k < 3; ++k)
                used[k] = rewards[k] + (o.rbar_used[actions[k]] - p.rewards[actions[k]].expected());
            std::vector<double> adv(3);
            const double sum = used[0] + used[1] + used[2];
            for (int k = 0; k < 3; ++k) {
                if (kind == BaselineKind::kRloo)
                    adv[k] = used[k] - (sum - used[k]) / 2.0;
                else if (kind == BaselineKind::kBatchMean)
                    adv[k] = used[k] - sum / 3.0;
                else if (kind == BaselineKind::kExpected)
                    adv[k] = used[k] - o.J_used;
                else
                    adv[k] = used[k];
            }
            INFO(np.name << ", baseline " << rl::core::to_string(kind));
            double norm2 = 0.0;
            for (std::size_t j = 0; j < pt.n; ++j) {
                double want = 0.0;
                if (j < pt.dim) {
                    for (int k = 0; k < 3; ++k)
                        want += adv[k] * ((actions[k] == j ? 1.0 : 0.0) - o.pi[j]) / 3.0;
                    want += o.deterministic[j];
                }
                norm2 += want * want;
                CAPTURE(j);
                CAPTURE(scratch.gradient[j]);
                CAPTURE(want);
                CHECK(std::abs(scratch.gradient[j] - want) <= 1e-12);
            }

            // Clipping at half the norm halves the vector and reports it.
            rl::core::EstimatorSettings clipped = s;
            clipped.clip = 0.5 * std::sqrt(norm2);
            const std::vector<double> unclipped = scratch.gradient;
            const rl::core::UpdateOutcome out =
                rl::core::estimate_gradient(pt, actions, rewards, clipped, fixed_b, scratch);
            CHECK(std::abs(out.raw_norm - std::sqrt(norm2)) <= 1e-12);
            CHECK(std::abs(out.clip_scale - 0.5) <= 1e-12);
            for (std::size_t j = 0; j < pt.n; ++j)
                CHECK(std::abs(scratch.gradient[j] - 0.5 * unclipped[j]) <= 1e-12);
        }
    }
}

TEST_CASE("closed-form fourth moments (used for Gaussian rewards) match the oracle") {
    // one_sample_moments takes each action's raw reward moments; fed two-point moments it must
    // reproduce the enumerated E|g - mu|^4, tr Cov and tr(Cov^2) of Bernoulli/fixed problems, and
    // k_mean_fourth must carry them to K samples. This is what makes the Gaussian standard errors
    // in the engine tests trustworthy: only the Gaussian raw moments differ.
    for (const NamedProblem& np : problems()) {
        for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kConstant,
                                  BaselineKind::kExpected, BaselineKind::kOptimal}) {
            const OracleProblem p = with_baseline(np.problem, kind);
            const OracleResult o1 = rl_test::enumerate_estimator(p, 1);
            std::vector<rl_test::RawMoments> x;
            for (std::size_t a = 0; a < o1.n; ++a) {
                const rl::core::RewardModel& m = p.rewards[a];
                const double shift = m.expected() - o1.rbar_used[a] + o1.fixed_baseline;
                x.push_back(m.kind == rl::core::RewardKind::kFixed
                                ? rl_test::two_point_moments(m.value - shift, 0.0, 0.0)
                                : rl_test::two_point_moments(m.lo - shift, m.hi - shift, m.p));
            }
            const rl_test::OneSampleMoments mom = rl_test::one_sample_moments(o1.pi, o1.dim, x);
            INFO(np.name << ", baseline " << rl::core::to_string(kind));
            CAPTURE(mom.fourth);
            CAPTURE(o1.fourth);
            CHECK(std::abs(mom.trace - o1.trace) <= kRel * o1.trace);
            CHECK(std::abs(mom.trace_cov2 - o1.trace_cov2) <= kRel * o1.trace_cov2);
            CHECK(std::abs(mom.fourth - o1.fourth) <= kRel * o1.fourth);
            for (int K : {2, 3, 5, 8}) {
                const OracleResult o = rl_test::enumerate_estimator(p, K);
                const double f = rl_test::k_mean_fourth(mom.fourth, mom.trace, mom.trace_cov2, K);
                CAPTURE(K);
                CAPTURE(f);
                CAPTURE(o.fourth);
                CHECK(std::abs(f - o.fourth) <= kRel * o.fourth);
            }
        }
    }
    // Gaussian raw moments: N(1, 4) has E X^3 = 1 + 3*4 = 13 and E X^4 = 1 + 6*4 + 3*16 = 73.
    const rl_test::RawMoments g = rl_test::gaussian_moments(1.0, 4.0);
    CHECK(g.m1 == 1.0);
    CHECK(g.m2 == 5.0);
    CHECK(g.m3 == 13.0);
    CHECK(g.m4 == 73.0);
}

TEST_CASE("estimators without a closed form say so") {
    rl::core::EstimatorSettings s;
    s.baseline = BaselineKind::kRunning;
    CHECK_FALSE(rl::core::has_closed_form(s, 4));
    CHECK_FALSE(rl::core::no_closed_form_reason(s, 4).empty());
    s.baseline = BaselineKind::kGroupNorm;
    CHECK_FALSE(rl::core::has_closed_form(s, 4));
    s.baseline = BaselineKind::kRloo;
    CHECK_FALSE(rl::core::has_closed_form(s, 1));
    CHECK(rl::core::has_closed_form(s, 2));
    s.baseline = BaselineKind::kExpected;
    s.clip = 1.0;
    CHECK_FALSE(rl::core::has_closed_form(s, 4));
    const OracleProblem p = problems()[0].problem;
    const rl::core::ExactEstimate e = rl::core::exact_estimate(point_for(p, s), s, 4);
    CHECK_FALSE(e.closed_form);
    CHECK_FALSE(e.reason.empty());
}
