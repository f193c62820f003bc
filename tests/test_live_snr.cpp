// The SNR plot's data: exact curves from the core's closed forms at the cloud's policy, and
// Monte Carlo points from the probe engine that refine while the policy stands still.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/choices.hpp"
#include "core/estimator.hpp"
#include "core/exact.hpp"
#include "core/experiment.hpp"
#include "core/policy_point.hpp"
#include "core/settings.hpp"
#include "io/presets.hpp"
#include "live/runner.hpp"
#include "live/snr_probe.hpp"
#include "support/exact_enumeration.hpp"
#include "support/sessions.hpp"
#include "test_live_support.hpp"

namespace {

using rl::core::BaselineKind;
using rl::live::Results;
using rl::live::Runner;
using rl_test::run_frames;
using rl_test::snapshot;

rl::core::PolicyPoint initial_point(const rl::core::Settings& s) {
    const rl::core::Experiment e = rl::core::make_experiment(s);
    const rl::core::RunProblem p = rl::core::make_run_problem(e, 0);
    return rl::core::make_policy_point(e.init_logits, e.parameterization, p.rbar, p.var,
                                       e.ref_log_probs, e.estimator);
}

// What the SNR of M independent estimates depends on: the exact moments of one estimate.
struct Moments {
    double mean_norm = 0.0;
    double var_along_mean = 0.0;  // u^T C u, u the unit mean
    double trace = 0.0, trace_cov2 = 0.0, fourth = 0.0;
};

Moments oracle_moments(const rl_test::OracleResult& o) {
    Moments m;
    m.mean_norm = std::sqrt(std::inner_product(o.mean.begin(), o.mean.end(), o.mean.begin(), 0.0));
    std::vector<double> u = o.mean;
    for (double& x : u)
        x /= m.mean_norm;
    m.var_along_mean = o.quad(u);
    m.trace = o.trace;
    m.trace_cov2 = o.trace_cov2;
    m.fourth = o.fourth;
    return m;
}

// With a constant baseline the K-sample estimate is the mean of K one-sample ones.
Moments k_sample_mean(const Moments& one, int K) {
    const double k = K;
    Moments m = one;
    m.var_along_mean /= k;
    m.trace /= k;
    m.trace_cov2 /= k * k;
    m.fourth = rl_test::k_mean_fourth(one.fourth, one.trace, one.trace_cov2, k);
    return m;
}

// The measured SNR of M estimates as a z-score against the exact value. To first order its
// relative error is that of |mean| (sd sqrt(u^T C u / M) / |mu|) minus half that of the unbiased
// sample trace (whose variance follows from the fourth moment), and the sd of a difference is at
// most the sum of the two. |mean| is biased up by (tr C - u^T C u) / (2 M |mu|), which is added
// to the expected value.
double snr_z_score(const Moments& e, int M, double measured) {
    const double m = M, mu = e.mean_norm, tr = e.trace;
    const double se_tr = std::sqrt((e.fourth - tr * tr) / m + 2.0 * e.trace_cov2 / (m * (m - 1.0)));
    const double snr = mu / std::sqrt(tr);
    const double rel_sd = std::sqrt(e.var_along_mean / m) / mu + se_tr / (2.0 * tr);
    const double bias = (tr - e.var_along_mean) / (2.0 * m * mu * mu);
    return (measured - snr * (1.0 + bias)) / (snr * rel_sd);
}

// Frames until every measured point is current and complete; false if that takes too long.
bool finish_sweep(Runner& live) {
    for (int frame = 0; frame < 200; ++frame) {
        const Results r = snapshot(live);
        const bool done =
            !r.snr_measured.empty() &&
            std::all_of(
                r.snr_measured.begin(), r.snr_measured.end(), [&](const rl::live::SnrPoint& p) {
                    return p.current && p.batches == rl::live::snr_point_batches(r.settings.M, p.K);
                });
        if (done && r.snr_measured.back().K == rl::live::kSnrMaxK) return true;
        run_frames(live, 1);
    }
    return false;
}

}  // namespace

TEST_CASE("Live session: exact SNR curves for every baseline at the cloud's policy") {
    rl::core::Settings s = rl_test::yes_no_maybe();
    s.runs = 4;
    s.M = 64;
    Runner live(s, rl_test::cpu_options());
    live.wait_idle();
    const Results r = snapshot(live);
    REQUIRE(r.snr_exact.size() == rl::core::kBanditBaselines.size());
    const rl::core::PolicyPoint pt = initial_point(s);
    for (std::size_t b = 0; b < rl::core::kBanditBaselines.size(); ++b) {
        const rl::live::SnrCurve& c = r.snr_exact[b];
        CAPTURE(rl::core::to_string(c.baseline));
        CHECK(c.baseline == rl::core::kBanditBaselines[b]);
        rl::core::EstimatorSettings est = s.estimator;
        est.baseline = c.baseline;
        CHECK(c.K.size() == c.snr.size());
        if (!rl::core::has_closed_form(est, 2)) {
            CHECK(c.K.empty());
            CHECK(c.reason == rl::core::no_closed_form_reason(est, 2));
            continue;
        }
        REQUIRE(!c.K.empty());
        CHECK(c.reason.empty());
        CHECK(c.K.back() == rl::live::kSnrMaxK);
        CHECK(std::is_sorted(c.K.begin(), c.K.end()));
        for (std::size_t i = 0; i < c.K.size(); ++i)
            CHECK(c.snr[i] == rl::core::exact_estimate(pt, est, static_cast<int>(c.K[i])).snr);
    }
    // No baseline: K = 1 first, and the SNR grows like sqrt(K).
    const rl::live::SnrCurve& none = r.snr_exact[0];
    REQUIRE(none.K.size() > 10);
    CHECK(none.K[0] == 1);
    CHECK(none.snr[0] == rl::core::exact_estimate(pt, s.estimator, 1).snr);
    for (std::size_t i = 0; i < none.K.size(); ++i)
        CHECK(none.snr[i] == doctest::Approx(std::sqrt(none.K[i]) * none.snr[0]).epsilon(1e-12));
    CHECK(r.snr_exact[4].K[0] == 2);  // leave-one-out starts at K = 2
}

TEST_CASE("Live session: measured SNR covers K = 1..4096 while paused within 5 sigma") {
    rl::core::Settings s = rl_test::yes_no_maybe();
    s.runs = 4;
    Runner live(s, rl_test::cpu_options());
    REQUIRE(finish_sweep(live));
    const Results r = snapshot(live);
    REQUIRE(r.snr_measured.size() == 13);
    const Moments one = oracle_moments(rl_test::enumerate_estimator(rl_test::oracle_problem(s), 1));
    for (std::size_t i = 0; i < r.snr_measured.size(); ++i) {
        const rl::live::SnrPoint& p = r.snr_measured[i];
        CAPTURE(p.K);
        CAPTURE(p.snr);
        CHECK(p.K == 1 << i);
        CHECK(p.current);
        CHECK(p.batches == rl::live::snr_point_batches(s.M, p.K));
        const double z = snr_z_score(k_sample_mean(one, p.K), p.batches, p.snr);
        CAPTURE(z);
        CHECK(std::abs(z) <= 5.0);
    }
    // Everything is current and nothing changed: further frames publish nothing.
    run_frames(live, 3);
    CHECK(snapshot(live).version == r.version);

    // A step moves the policy: the points stay shown, stale, and refine again from K = 1.
    live.step_once();
    live.wait_idle();
    Results moved = snapshot(live);
    REQUIRE(moved.snr_measured.size() == 13);
    CHECK(std::none_of(moved.snr_measured.begin(), moved.snr_measured.end(),
                       [](const rl::live::SnrPoint& p) { return p.current; }));
    run_frames(live, 1);
    moved = snapshot(live);
    CHECK(moved.snr_measured[0].current);
    CHECK_FALSE(moved.snr_measured[1].current);
}

TEST_CASE("Live session: measured points follow the baseline and leave-one-out has none at K = 1") {
    rl::core::Settings s = rl_test::yes_no_maybe();
    s.runs = 4;
    Runner live(s, rl_test::cpu_options());
    REQUIRE(finish_sweep(live));
    s.estimator.baseline = BaselineKind::kRloo;
    s.estimator.K = 2;
    REQUIRE(live.apply(s).empty());
    live.wait_idle();
    REQUIRE(finish_sweep(live));
    const Results r = snapshot(live);
    REQUIRE(r.snr_measured.size() == 12);
    CHECK(r.snr_measured.front().K == 2);
    // Up to K = 128 the oracle enumerates leave-one-out exactly (8,385 outcomes at K = 128); its
    // multinomial weights overflow doubles beyond K = 170.
    for (const rl::live::SnrPoint& p : r.snr_measured) {
        CAPTURE(p.K);
        CAPTURE(p.snr);
        CHECK(p.current);
        if (p.K > 128) continue;
        const Moments exact =
            oracle_moments(rl_test::enumerate_estimator(rl_test::oracle_problem(s), p.K));
        const double z = snr_z_score(exact, p.batches, p.snr);
        CAPTURE(z);
        CHECK(std::abs(z) <= 5.0);
    }
}

TEST_CASE("Live session: tick time at the default lesson is printed") {
    const rl::io::SettingsResult preset =
        rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "yes-no-maybe");
    REQUIRE(preset);
    Runner live(*preset.settings, rl_test::cpu_options());
    live.wait_idle();
    live.set_playing(true);
    std::vector<double> playing;
    for (int i = 0; i < 150; ++i) {
        run_frames(live, 1);
        playing.push_back(snapshot(live).engine_ms);
    }
    live.set_playing(false);
    std::vector<double> sweep;
    for (int i = 0; i < 40; ++i) {
        run_frames(live, 1);
        sweep.push_back(snapshot(live).engine_ms);
    }
    const Results r = snapshot(live);
    CHECK(r.steps_done == 150);
    CHECK(r.snr_measured.size() == 13);
    std::sort(playing.begin(), playing.end());
    MESSAGE("default lesson, playing tick (step + cloud + exact curves): median "
            << playing[playing.size() / 2] << " ms, p90 " << playing[playing.size() * 9 / 10]
            << " ms, max " << playing.back() << " ms; paused SNR sweep tick: max "
            << *std::max_element(sweep.begin(), sweep.end()) << " ms");
}
