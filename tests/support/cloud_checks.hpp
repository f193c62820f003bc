#pragma once

// The checks of a measured gradient cloud against its exact distribution, shared by the tests of
// both ways the CPU engine draws a cloud (sample by sample: test_engine_statistics.cpp; as
// counts: test_count_cloud.cpp). Every statistical check is a z-test at 5 standard errors, with
// the standard error derived from the exact distribution.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/choices.hpp"
#include "core/exact.hpp"
#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "support/exact_enumeration.hpp"
#include "support/sessions.hpp"

namespace rl_test {

using rl::core::BaselineKind;

inline constexpr double kZ = 5.0;

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

inline double norm(const std::vector<double>& v) {
    return std::sqrt(dot(v, v));
}

// |measured - expected| <= 5 standard errors. A zero standard error (a distribution with no
// spread, e.g. the two-action bandit with b = E[R]) leaves only rounding.
inline void check_z(const std::string& what, double measured, double expected, double se) {
    const double z = se > 0.0 ? (measured - expected) / se : 0.0;
    INFO(what << ": measured " << measured << ", exact " << expected << ", standard error " << se
              << ", z = " << z);
    if (se > 0.0) {
        CHECK(std::abs(z) <= kZ);
    } else {
        CHECK(std::abs(measured - expected) <= 1e-9 * (1.0 + std::abs(expected)));
    }
}

// The exact distribution of one estimator, as far as the tests need it.
struct Reference {
    std::vector<double> mean;           // E g, length n
    std::vector<double> true_gradient;  // gradient of the objective
    std::vector<double> cov;            // n x n
    std::size_t n = 0, dim = 0;
    double trace = 0.0, trace_cov2 = 0.0, fourth = 0.0;
    bool has_fourth = false;
    bool has_direction = false;  // uphill share and cosine moments known
    double uphill = 0.0, mean_cos = 0.0, mean_cos2 = 0.0;

    double quad(const std::vector<double>& v) const {
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                s += v[i] * cov[i * n + j] * v[j];
        return s;
    }
    double bilinear(const std::vector<double>& u, const std::vector<double>& v) const {
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j)
                s += u[i] * cov[i * n + j] * v[j];
        return s;
    }
    double trace_se(double M) const {
        return std::sqrt((fourth - trace * trace) / M + 2.0 * trace_cov2 / (M * (M - 1.0)));
    }
};

inline Reference from_oracle(const OracleResult& o) {
    Reference r;
    r.n = o.n;
    r.dim = o.dim;
    r.mean = o.mean;
    r.true_gradient = o.true_gradient;
    r.cov = o.cov;
    r.trace = o.trace;
    r.trace_cov2 = o.trace_cov2;
    r.fourth = o.fourth;
    r.has_fourth = true;
    r.has_direction = true;
    r.uphill = o.uphill;
    r.mean_cos = o.mean_cos;
    r.mean_cos2 = o.mean_cos2;
    return r;
}

// Gaussian rewards with a constant baseline, from closed-form moments. The means, the KL shift,
// the deterministic part and the baseline depend only on E[R | a], so they come from the oracle
// run on the same problem with each Gaussian replaced by a fixed reward at its mean (b* does not
// depend on Var[R | a] either: the variance adds a b-independent sum pi_a v_a |s_a|^2 to the
// trace). The spread comes from one_sample_moments with X_a = R_a - shift_a - b ~
// N(rbar_used_a - b, sd_a^2), carried to K samples by k_mean_fourth.
inline Reference gaussian_constant_baseline(const rl::core::Settings& s, int K) {
    OracleProblem at_means = oracle_problem(s);
    std::vector<double> var;
    for (rl::core::RewardModel& m : at_means.rewards) {
        var.push_back(m.variance());
        m = fixed_reward(m.expected());
    }
    const OracleResult o = enumerate_estimator(at_means, 1);
    std::vector<RawMoments> x;
    for (std::size_t a = 0; a < o.n; ++a)
        x.push_back(gaussian_moments(o.rbar_used[a] - o.fixed_baseline, var[a]));
    const OneSampleMoments m = one_sample_moments(o.pi, o.dim, x);

    Reference r;
    r.n = o.n;
    r.dim = o.dim;
    r.true_gradient = o.true_gradient;
    r.mean.assign(o.n, 0.0);
    for (std::size_t j = 0; j < o.dim; ++j)
        r.mean[j] = m.mean[j] + o.deterministic[j];
    r.cov.assign(o.n * o.n, 0.0);
    for (std::size_t i = 0; i < o.dim; ++i)
        for (std::size_t j = 0; j < o.dim; ++j)
            r.cov[i * o.n + j] = m.cov[i * o.dim + j] / K;
    r.trace = m.trace / K;
    r.trace_cov2 = m.trace_cov2 / (static_cast<double>(K) * K);
    r.fourth = k_mean_fourth(m.fourth, m.trace, m.trace_cov2, K);
    r.has_fourth = true;
    return r;
}

inline rl::engine::CloudResult run_cloud(
    rl::core::Settings s, int K, int M, std::uint32_t step = 0,
    rl::engine::CloudDraw draw = rl::engine::CloudDraw::kSamples) {
    s.estimator.K = K;
    const std::string invalid = rl::core::validate(s);
    INFO("session invalid: " << invalid);
    REQUIRE(invalid.empty());
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine();
    engine->configure(rl::core::make_experiment(s));
    rl::engine::CloudRequest request;
    request.logits = s.init_logits;
    request.K = K;
    request.M = M;
    request.step = step;
    request.draw = draw;
    rl::engine::CloudResult c = engine->gradient_cloud(request);
    CHECK(c.drawn_as_counts == (draw == rl::engine::CloudDraw::kCounts));
    return c;
}

// The engine's exact block and projection basis against the reference.
inline void check_exact_block(const rl::engine::CloudResult& c, const Reference& ref) {
    const double scale = norm(ref.mean) + std::sqrt(ref.trace);
    REQUIRE(c.exact.closed_form);
    REQUIRE(c.exact.mean.size() == ref.n);
    for (std::size_t j = 0; j < ref.n; ++j) {
        CAPTURE(j);
        CAPTURE(c.exact.mean[j]);
        CAPTURE(ref.mean[j]);
        CHECK(std::abs(c.exact.mean[j] - ref.mean[j]) <= 1e-10 * scale);
        CHECK(std::abs(c.true_gradient[j] - ref.true_gradient[j]) <= 1e-10 * scale);
    }
    CAPTURE(c.exact.trace_cov);
    CAPTURE(ref.trace);
    CHECK(std::abs(c.exact.trace_cov - ref.trace) <= 1e-10 * (ref.trace + scale * scale));

    // x is the unit true gradient; y a unit vector orthogonal to it (zero when dim is 1).
    const double tg = norm(ref.true_gradient);
    REQUIRE(c.axis_x.size() == ref.n);
    REQUIRE(c.axis_y.size() == ref.n);
    for (std::size_t j = 0; j < ref.n; ++j)
        CHECK(std::abs(c.axis_x[j] - ref.true_gradient[j] / tg) <= 1e-12);
    for (std::size_t j = ref.dim; j < ref.n; ++j)
        CHECK(c.axis_y[j] == 0.0);
    if (ref.dim >= 2) {
        CHECK(std::abs(norm(c.axis_y) - 1.0) <= 1e-12);
        CHECK(std::abs(dot(c.axis_x, c.axis_y)) <= 1e-12);
    } else {
        CHECK(norm(c.axis_y) == 0.0);
    }
    // The exact projected moments are the reference's on that basis.
    const double var_scale = ref.trace + 1e-300;
    CHECK(std::abs(c.exact_mean_x - dot(ref.mean, c.axis_x)) <= 1e-10 * scale);
    CHECK(std::abs(c.exact_mean_y - dot(ref.mean, c.axis_y)) <= 1e-10 * scale);
    CHECK(std::abs(c.exact_var_x - ref.quad(c.axis_x)) <= 1e-10 * var_scale);
    CHECK(std::abs(c.exact_var_y - ref.quad(c.axis_y)) <= 1e-10 * var_scale);
    CHECK(std::abs(c.exact_cov_xy - ref.bilinear(c.axis_x, c.axis_y)) <= 1e-10 * var_scale);

    // y is the direction of largest variance orthogonal to x: no random direction in that
    // complement (restricted to the free components) has more.
    if (ref.dim >= 2) {
        std::mt19937_64 rng(99);
        const double var_y = ref.quad(c.axis_y);
        for (int t = 0; t < 32; ++t) {
            std::vector<double> v(ref.n, 0.0);
            for (std::size_t j = 0; j < ref.dim; ++j)
                v[j] = static_cast<double>(rng() >> 11) * 0x1.0p-53 - 0.5;
            const double along = dot(v, c.axis_x);
            for (std::size_t j = 0; j < ref.n; ++j)
                v[j] -= along * c.axis_x[j];
            const double len = norm(v);
            for (double& x : v)
                x /= len;
            CAPTURE(var_y);
            CAPTURE(ref.quad(v));
            CHECK(ref.quad(v) <= var_y * (1.0 + 1e-9) + 1e-15);
        }
    }
}

// The measured cloud against the reference.
inline void check_measured(const rl::engine::CloudResult& c, const Reference& ref, int M) {
    const double m = M;
    REQUIRE(c.x.size() == static_cast<std::size_t>(M));
    REQUIRE(c.y.size() == static_cast<std::size_t>(M));
    REQUIRE(c.norm2.size() == static_cast<std::size_t>(M));
    REQUIRE(c.mean.size() == ref.n);

    check_z("mean along x", c.mean_x, dot(ref.mean, c.axis_x), std::sqrt(ref.quad(c.axis_x) / m));
    check_z("mean along y", c.mean_y, dot(ref.mean, c.axis_y), std::sqrt(ref.quad(c.axis_y) / m));
    for (std::size_t j = 0; j < ref.n; ++j) {
        CAPTURE(j);
        check_z("mean component", c.mean[j], ref.mean[j], std::sqrt(ref.cov[j * ref.n + j] / m));
    }
    if (ref.has_fourth) check_z("trace of covariance", c.trace_cov, ref.trace, ref.trace_se(m));
    if (ref.has_direction) {
        check_z("uphill share", c.uphill_share, ref.uphill,
                std::sqrt(ref.uphill * (1.0 - ref.uphill) / m));
        check_z("mean cosine", c.mean_cosine, ref.mean_cos,
                std::sqrt(std::max(0.0, ref.mean_cos2 - ref.mean_cos * ref.mean_cos) / m));
    }

    // Each point is a projection of its estimate on an orthonormal pair, so it cannot be longer
    // than the estimate (float rounding of x and y aside).
    int too_long = 0;
    for (int b = 0; b < M; ++b) {
        const double p2 =
            static_cast<double>(c.x[b]) * c.x[b] + static_cast<double>(c.y[b]) * c.y[b];
        if (p2 > c.norm2[b] * (1.0 + 1e-6) + 1e-12) ++too_long;
    }
    CHECK(too_long == 0);

    // The histogram holds every point, and its range the origin and the tip of the gradient.
    const rl::engine::Histogram2D& h = c.histogram;
    REQUIRE(h.counts.size() == static_cast<std::size_t>(h.bins_x) * h.bins_y);
    std::uint64_t total = 0;
    for (std::uint32_t k : h.counts)
        total += k;
    CHECK(total == static_cast<std::uint64_t>(M));
    const double tip = norm(ref.true_gradient);
    CHECK(h.x_min <= 0.0);
    CHECK(h.x_max >= tip);
    CHECK(h.y_min <= 0.0);
    CHECK(h.y_max >= 0.0);
}

inline rl::core::Settings with_baseline(rl::core::Settings s, BaselineKind kind,
                                        double constant_b = 4.0) {
    s.estimator.baseline = kind;
    s.estimator.constant_b = constant_b;
    return s;
}

inline void run_oracle_case(const std::string& name, rl::core::Settings s, int K, int M,
                            std::uint32_t step = 0,
                            rl::engine::CloudDraw draw = rl::engine::CloudDraw::kSamples) {
    s.estimator.K = K;
    INFO(name << ", baseline " << rl::core::to_string(s.estimator.baseline) << ", K = " << K
              << ", M = " << M);
    const Reference ref = from_oracle(enumerate_estimator(oracle_problem(s), K));
    const rl::engine::CloudResult c = run_cloud(s, K, M, step, draw);
    check_exact_block(c, ref);
    check_measured(c, ref, M);
}

inline const std::vector<BaselineKind> kConstantKinds = {
    BaselineKind::kNone, BaselineKind::kConstant, BaselineKind::kExpected, BaselineKind::kOptimal};

// 2^18 batches per cloud: a 5-sigma band of about 1% of the spread, and well under a second
// for all clouds of this file together on two cores.
inline constexpr int kM = 1 << 18;

// Three Gaussian arms against their closed-form moments, every constant baseline at K = 1 and 4,
// drawn the given way.
inline void check_gaussian_constant_baselines(rl::engine::CloudDraw draw) {
    const rl::core::Settings s = make_settings(
        {gaussian_reward(1.0, 2.0), gaussian_reward(0.0, 0.5), gaussian_reward(3.0, 1.0)},
        {0.3, -0.2, 0.1});
    for (BaselineKind kind : kConstantKinds) {
        for (int K : {1, 4}) {
            rl::core::Settings sk = with_baseline(s, kind, 1.0);
            sk.estimator.K = K;
            INFO("Gaussian, baseline " << rl::core::to_string(kind) << ", K = " << K);
            const Reference ref = gaussian_constant_baseline(sk, K);
            const rl::engine::CloudResult c = run_cloud(sk, K, kM, 3, draw);
            check_exact_block(c, ref);
            check_measured(c, ref, kM);
        }
    }
}

}  // namespace rl_test
