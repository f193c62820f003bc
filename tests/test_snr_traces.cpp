// The exact SNR curves' trace at every K from sums taken once (core::ClosedFormTrace, docs/MATH.md
// section 9, "At every K") against the covariance model's trace at that K, and the curves the SNR
// plot draws against exact_estimate, point for point.

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "core/choices.hpp"
#include "core/estimator.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "live/snr_curves.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::EstimatorSettings;
using rl::core::Parameterization;
using rl::core::PolicyPoint;

// A random policy over n actions with Gaussian rewards and, when kl > 0, a KL anchor to a random
// reference (a deterministic part in the mean).
PolicyPoint random_point(std::size_t n, Parameterization param, double kl, std::uint32_t seed,
                         EstimatorSettings& s) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.5);
    std::vector<double> logits(n), rbar(n), var(n), ref(n);
    for (std::size_t a = 0; a < n; ++a) {
        logits[a] = normal(rng);
        rbar[a] = normal(rng);
        var[a] = std::abs(normal(rng));
    }
    if (param == Parameterization::kPinnedLast) logits.back() = 0.0;
    const std::vector<double> p = rl::core::softmax(std::vector<double>(n, 0.3));
    for (std::size_t a = 0; a < n; ++a)
        ref[a] = std::log(p[a]);
    s.kl_beta = kl;
    s.constant_b = 0.7;
    return rl::core::make_policy_point(logits, param, rbar, var, ref, s);
}

}  // namespace

TEST_CASE("exact traces at every K equal the covariance model's trace at that K") {
    for (const std::size_t n : {2u, 5u, 2000u}) {
        for (const Parameterization param :
             {Parameterization::kFree, Parameterization::kPinnedLast}) {
            for (const double kl : {0.0, 0.4}) {
                EstimatorSettings s;
                const PolicyPoint pt = random_point(n, param, kl, static_cast<std::uint32_t>(n), s);
                for (const BaselineKind baseline : rl::core::kBanditBaselines) {
                    s.baseline = baseline;
                    const rl::core::ClosedFormTrace traces(pt, s);
                    for (const int K : {1, 2, 3, 7, 64, 4096}) {
                        if (!rl::core::has_closed_form(s, K)) continue;
                        CAPTURE(n);
                        CAPTURE(kl);
                        CAPTURE(rl::core::to_string(baseline));
                        CAPTURE(K);
                        const rl::core::ExactEstimate e = rl::core::exact_estimate(pt, s, K);
                        const double model = rl::core::covariance_trace(pt, e.covariance);
                        CHECK(e.trace_cov == doctest::Approx(model).epsilon(1e-12));
                        CHECK(traces.trace_cov(K) == e.trace_cov);
                        // The mean's norm, from the exact mean vector.
                        double m2 = 0.0;
                        for (std::size_t i = 0; i < pt.dim; ++i)
                            m2 += e.mean[i] * e.mean[i];
                        CHECK(traces.mean_norm(K) == doctest::Approx(std::sqrt(m2)).epsilon(1e-14));
                    }
                }
            }
        }
    }
}

TEST_CASE("the SNR plot's exact curves are exact_estimate's SNR at each of their K") {
    EstimatorSettings s;
    const PolicyPoint pt = random_point(300, Parameterization::kFree, 0.2, 7u, s);
    const std::vector<rl::live::SnrCurve> curves = rl::live::exact_snr_curves(pt, s);
    REQUIRE(curves.size() == rl::core::kBanditBaselines.size());
    int points = 0;
    for (const rl::live::SnrCurve& c : curves) {
        EstimatorSettings b = s;
        b.baseline = c.baseline;
        REQUIRE(c.K.size() == c.snr.size());
        for (std::size_t i = 0; i < c.K.size(); ++i) {
            CHECK(c.snr[i] == rl::core::exact_estimate(pt, b, static_cast<int>(c.K[i])).snr);
            ++points;
        }
    }
    CHECK(points > 50);  // the closed-form baselines at two dozen K each
}
