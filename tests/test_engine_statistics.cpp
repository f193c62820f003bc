// The CPU engine's Monte Carlo against the exact answers. Every statistical check is a z-test at
// 5 standard errors, with the standard error derived from the exact distribution (the
// enumeration oracle for fixed and Bernoulli rewards, closed-form moments for Gaussian ones); a
// failure means the engine samples a different estimator than the closed forms describe. The
// seeds are fixed, so each check either always passes or always fails; a false alarm at 5 sigma
// has probability ~6e-7 per check.

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
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "core/settings.hpp"
#include "core/update_step.hpp"
#include "engine/engine.hpp"
#include "support/cloud_checks.hpp"
#include "support/exact_enumeration.hpp"
#include "support/sessions.hpp"

namespace {

using rl::core::BaselineKind;
using namespace rl_test;

}  // namespace

TEST_CASE("engine cloud matches the oracle: yes/no/maybe, fixed rewards, every baseline") {
    const rl::core::Settings s = rl_test::yes_no_maybe();
    for (BaselineKind kind : kConstantKinds)
        for (int K : {1, 4})
            run_oracle_case("yes/no/maybe", with_baseline(s, kind), K, kM);
    for (BaselineKind kind : {BaselineKind::kBatchMean, BaselineKind::kRloo})
        for (int K : {2, 5})
            run_oracle_case("yes/no/maybe", with_baseline(s, kind), K, kM);
}

TEST_CASE("engine cloud matches the oracle: N = 4 Bernoulli rewards, pinned, every baseline") {
    const rl::core::Settings s = rl_test::make_settings(
        {rl_test::bernoulli_reward(0.3, 0, 1), rl_test::fixed_reward(2),
         rl_test::bernoulli_reward(0.7, -1, 3), rl_test::bernoulli_reward(0.5, 1, 5)},
        {1.3, -0.4, 0.25, 0.0}, rl::core::Parameterization::kPinnedLast);
    for (BaselineKind kind : kConstantKinds)
        run_oracle_case("N=4 Bernoulli pinned", with_baseline(s, kind, 1.0), 3, kM, 7);
    for (BaselineKind kind : {BaselineKind::kBatchMean, BaselineKind::kRloo})
        run_oracle_case("N=4 Bernoulli pinned", with_baseline(s, kind), 3, kM, 7);
}

TEST_CASE("engine cloud matches the oracle: KL folded into the reward, entropy bonus") {
    rl::core::Settings s =
        rl_test::make_settings({rl_test::bernoulli_reward(0.25, -2, 4), rl_test::fixed_reward(1.5),
                                rl_test::bernoulli_reward(0.9, 0, 2)},
                               {0.2, -0.7, 0.9});
    s.reference_logits = {0.0, 0.0, 0.0};
    s.estimator.kl_beta = 0.5;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    s.estimator.entropy = 0.3;
    for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kExpected, BaselineKind::kRloo})
        run_oracle_case("KL reward fold", with_baseline(s, kind), 4, kM);
    s.estimator.kl_mode = rl::core::KlMode::kPenalty;
    for (BaselineKind kind : {BaselineKind::kOptimal, BaselineKind::kBatchMean})
        run_oracle_case("KL penalty", with_baseline(s, kind), 4, kM);
}

TEST_CASE(
    "engine cloud reproduces the sigmoid bandit: E[g] = 0.25 and tr Cov = 0.0625 at theta 0") {
    const rl::core::Settings s =
        rl_test::make_settings({rl_test::fixed_reward(1), rl_test::fixed_reward(0)}, {0.0, 0.0},
                               rl::core::Parameterization::kPinnedLast);
    run_oracle_case("sigmoid bandit", s, 1, kM);
    const rl::engine::CloudResult c = run_cloud(s, 1, kM);
    // Each estimate is 0.5 or 0 with probability 1/2: mean 0.25 with standard error 0.25 / sqrt(M).
    check_z("sigmoid bandit mean", c.mean_x, 0.25, 0.25 / std::sqrt(kM));
    CHECK(c.exact_mean_x == doctest::Approx(0.25).epsilon(1e-12));
    CHECK(c.exact.trace_cov == doctest::Approx(0.0625).epsilon(1e-12));
    // Var of the sample variance of a fair two-point variable with spread 0.5: mu4 = 0.25^4,
    // sigma^4 = 0.25^4, so Var(s^2) = (mu4 - (M-3)/(M-1) sigma^4) / M = 2 * 0.25^4 / (M - 1).
    check_z("sigmoid bandit variance", c.trace_cov, 0.0625,
            std::sqrt(2.0 * std::pow(0.25, 4) / (kM - 1)));
    // With b = E[R] = 0.5 both actions give g = 0.25 exactly: no noise at all.
    const rl::engine::CloudResult e = run_cloud(with_baseline(s, BaselineKind::kExpected), 1, 4096);
    CHECK(e.trace_cov <= 1e-20);
    CHECK(e.uphill_share == 1.0);
    CHECK(e.mean_cosine == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("engine cloud matches closed-form moments: Gaussian rewards, constant baselines") {
    check_gaussian_constant_baselines(rl::engine::CloudDraw::kSamples);
    // Gaussian rewards with the KL folded in: the fold only moves the means.
    rl::core::Settings s = rl_test::make_settings(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::gaussian_reward(0.0, 0.5),
         rl_test::gaussian_reward(3.0, 1.0)},
        {0.3, -0.2, 0.1});
    s.reference_logits = {0.0, 0.5, -0.5};
    s.estimator.kl_beta = 0.8;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kOptimal}) {
        rl::core::Settings sk = with_baseline(s, kind);
        INFO("Gaussian with KL fold, baseline " << rl::core::to_string(kind));
        const Reference ref = gaussian_constant_baseline(sk, 1);
        const rl::engine::CloudResult c = run_cloud(sk, 1, kM, 4);
        check_exact_block(c, ref);
        check_measured(c, ref, kM);
    }
}

TEST_CASE("engine cloud mean with Gaussian rewards: batch mean and RLOO") {
    const rl::core::Settings s = rl_test::make_settings(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::gaussian_reward(0.0, 0.5),
         rl_test::gaussian_reward(3.0, 1.0), rl_test::gaussian_reward(-1.0, 1.5)},
        {0.3, -0.2, 0.1, 0.4});
    for (BaselineKind kind : {BaselineKind::kBatchMean, BaselineKind::kRloo}) {
        const int K = 4;
        const rl::engine::CloudResult c = run_cloud(with_baseline(s, kind), K, kM, 5);
        // The exact mean is (1 - 1/K) grad J for batch mean, grad J for RLOO; grad J depends only
        // on the means, so the oracle of the fixed-at-the-mean problem has it.
        rl_test::OracleProblem at_means = rl_test::oracle_problem(s);
        for (rl::core::RewardModel& m : at_means.rewards)
            m = rl_test::fixed_reward(m.expected());
        const OracleResult o = rl_test::enumerate_estimator(at_means, 1);
        const double shrink = kind == BaselineKind::kBatchMean ? (K - 1.0) / K : 1.0;
        const double tg = norm(o.true_gradient);
        INFO("Gaussian, baseline " << rl::core::to_string(kind));
        REQUIRE(c.exact.closed_form);
        CHECK(c.exact_mean_x == doctest::Approx(shrink * tg).epsilon(1e-10));
        // The standard errors use the exact variances along the axes (the closed forms, which
        // test_exact_formulas checks against the oracle).
        check_z("mean along x", c.mean_x, shrink * tg, std::sqrt(c.exact_var_x / kM));
        check_z("mean along y", c.mean_y, 0.0, std::sqrt(c.exact_var_y / kM));
    }
}

TEST_CASE("batch mean is measurably biased by (1 - 1/K); RLOO is not") {
    const rl::core::Settings s = rl_test::yes_no_maybe();
    const int K = 2;
    const rl::engine::CloudResult bm =
        run_cloud(with_baseline(s, BaselineKind::kBatchMean), K, kM, 11);
    const rl::engine::CloudResult rloo =
        run_cloud(with_baseline(s, BaselineKind::kRloo), K, kM, 11);
    const double tg = norm(bm.true_gradient);  // |grad J| = |(0.93, -0.95, 0.02)|
    CHECK(tg == doctest::Approx(std::sqrt(0.93 * 0.93 + 0.95 * 0.95 + 0.02 * 0.02)).epsilon(1e-12));

    const double se_bm = std::sqrt(bm.exact_var_x / kM);
    check_z("batch mean, mean along the gradient vs (1 - 1/K) |grad|", bm.mean_x, 0.5 * tg, se_bm);
    // Against the unbiased hypothesis the same measurement is far out: the bias is |grad| / 2.
    const double z_unbiased = (bm.mean_x - tg) / se_bm;
    CAPTURE(z_unbiased);
    CHECK(z_unbiased < -20.0);

    const double se_rloo = std::sqrt(rloo.exact_var_x / kM);
    check_z("RLOO, mean along the gradient vs |grad|", rloo.mean_x, tg, se_rloo);
    const double z_half = (rloo.mean_x - 0.5 * tg) / se_rloo;
    CAPTURE(z_half);
    CHECK(z_half > 20.0);
}

TEST_CASE("measured SNR grows like sqrt(K): K * trace is constant from K = 1 to 1024") {
    // M K = 2^20 samples per K. For a constant baseline the K-sample estimate is the mean of K
    // i.i.d. one-sample estimates: trace tr_1 / K, tr(C^2) tr(C_1^2) / K^2, and the fourth moment
    // from k_mean_fourth (checked against the oracle in test_exact_formulas).
    for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kExpected}) {
        const rl::core::Settings s = with_baseline(rl_test::yes_no_maybe(), kind);
        const OracleResult o1 = rl_test::enumerate_estimator(rl_test::oracle_problem(s), 1);
        const double mu = norm(o1.mean);
        const double snr1 = mu / std::sqrt(o1.trace);
        const std::vector<double> u = [&] {
            std::vector<double> v = o1.mean;
            for (double& x : v)
                x /= mu;
            return v;
        }();
        double var_u1 = 0.0;  // u^T C_1 u: the variance of the estimate along its mean
        for (std::size_t i = 0; i < o1.n; ++i)
            for (std::size_t j = 0; j < o1.n; ++j)
                var_u1 += u[i] * o1.cov_at(i, j) * u[j];

        for (int K = 1; K <= 1024; K *= 2) {
            const int M = (1 << 20) / K;
            const double k = K, m = M;
            const rl::engine::CloudResult c =
                run_cloud(s, K, M, static_cast<std::uint32_t>(100 + K));
            const double tr = o1.trace / k;
            const double t2 = o1.trace_cov2 / (k * k);
            const double f = rl_test::k_mean_fourth(o1.fourth, o1.trace, o1.trace_cov2, k);
            const double se_tr = std::sqrt((f - tr * tr) / m + 2.0 * t2 / (m * (m - 1.0)));
            INFO("baseline " << rl::core::to_string(kind) << ", K = " << K << ", M = " << M);
            check_z("K * trace", k * c.trace_cov, o1.trace, k * se_tr);

            // SNR = |mean| / sqrt(trace). To first order its relative error is the relative error
            // of |mean| (standard deviation sqrt(u^T C_K u / M) / |mu|) minus half that of the
            // trace; the standard deviation of a difference is at most the sum of the two. |mean|
            // is biased up by (tr_K - u^T C_K u) / (2 M |mu|), added in full.
            const double snr = std::sqrt(k) * snr1;
            const double rel_sd = std::sqrt(var_u1 / k / m) / mu + se_tr / (2.0 * tr);
            const double bias = (tr - var_u1 / k) / (2.0 * m * mu) / mu;
            CAPTURE(c.snr);
            CAPTURE(snr);
            CHECK(c.exact.snr == doctest::Approx(snr).epsilon(1e-10));
            check_z("SNR", c.snr, snr * (1.0 + bias), snr * rel_sd);
        }
    }
}

TEST_CASE("training: the median probability of yes rises over 200 steps with no baseline") {
    rl::core::Settings s = with_baseline(rl_test::yes_no_maybe(), BaselineKind::kNone);
    s.estimator.K = 1;
    s.runs = 256;
    s.steps = 200;
    REQUIRE(rl::core::validate(s).empty());
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine();
    engine->configure(rl::core::make_experiment(s));
    const rl::engine::TrainingAdvance adv = engine->advance(200);
    REQUIRE_FALSE(adv.diverged);
    REQUIRE(adv.steps.size() == 200u);
    CHECK(engine->steps_done() == 200);

    // Step 1 describes the initial policy, the same in every run: every quantile is exact.
    const rl::engine::StepSummary& first = adv.steps.front();
    CHECK(first.step == 1);
    for (double q : {first.J.mean, first.J.p10, first.J.p50, first.J.p90}) {
        CAPTURE(q);
        CHECK(std::abs(q - 4.9) <= 1e-12 * 4.9);
    }
    // "no" is the likeliest action at the start and "yes" the best: no run has it right yet.
    CHECK(first.best_prob_share == 0.0);
    REQUIRE(first.action_probs.size() == 3u);
    const double p0[3] = {0.3, 0.5, 0.2};
    for (std::size_t a = 0; a < 3; ++a) {
        const rl::engine::Quantiles& q = first.action_probs[a];
        CAPTURE(a);
        for (double v : {q.mean, q.p10, q.p50, q.p90})
            CHECK(std::abs(v - p0[a]) <= 1e-12);
    }
    // The step's R K = 256 samples are yes with probability 0.3 each.
    check_z("share of step-1 samples that were the best action", first.opt_action_share, 0.3,
            std::sqrt(0.3 * 0.7 / 256.0));

    const rl::engine::StepSummary& last = adv.steps.back();
    CHECK(last.step == 200);
    CAPTURE(first.action_probs[0].p50);
    CAPTURE(last.action_probs[0].p50);
    CAPTURE(last.J.p50);
    CAPTURE(last.best_prob_share);
    CHECK(last.action_probs[0].p50 > first.action_probs[0].p50 + 0.1);
    CHECK(last.J.mean > first.J.mean);
    CHECK(last.best_prob_share > 0.5);
    for (std::size_t i = 1; i < adv.steps.size(); ++i)
        CHECK(adv.steps[i].step == adv.steps[i - 1].step + 1);
}

TEST_CASE("training: run 0's step detail is the REINFORCE arithmetic on its samples") {
    rl::core::Settings s =
        rl_test::make_settings({rl_test::gaussian_reward(1.0, 2.0),
                                rl_test::bernoulli_reward(0.4, -1, 3), rl_test::fixed_reward(0.5)},
                               {0.1, -0.3, 0.0}, rl::core::Parameterization::kPinnedLast);
    s.estimator.K = 6;
    s.estimator.baseline = BaselineKind::kRloo;
    s.estimator.kl_beta = 0.2;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    s.estimator.lr = 0.5;
    s.runs = 8;
    REQUIRE(rl::core::validate(s).empty());
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine();
    const rl::core::Experiment e = rl::core::make_experiment(s);
    engine->configure(e);
    const rl::engine::TrainingAdvance adv = engine->advance(3);
    const rl::engine::StepDetail& d = adv.run0;
    CHECK(d.step == 3);
    REQUIRE(d.actions.size() == 6u);
    REQUIRE(d.rewards.size() == 6u);

    std::vector<double> rbar, var;
    for (const rl::core::RewardModel& m : e.rewards) {
        rbar.push_back(m.expected());
        var.push_back(m.variance());
    }
    const rl::core::PolicyPoint pt = rl::core::make_policy_point(
        d.logits_before, e.parameterization, rbar, var, e.ref_log_probs, e.estimator);
    rl::core::UpdateScratch scratch;
    rl::core::estimate_gradient(pt, d.actions, d.rewards, e.estimator, 0.0, scratch);
    for (std::size_t j = 0; j < 3; ++j) {
        CAPTURE(j);
        CHECK(std::abs(d.gradient[j] - scratch.gradient[j]) <= 1e-12);
        const double step = j < 2 ? 0.5 * scratch.gradient[j] : 0.0;
        CHECK(std::abs(d.logits_after[j] - (d.logits_before[j] + step)) <= 1e-12);
        CHECK(std::abs(d.probs_before[j] - pt.pi[j]) <= 1e-15);
    }
    CHECK(d.logits_after[2] == 0.0);  // pinned
    const std::vector<double> after = engine->run_logits(0);
    for (std::size_t j = 0; j < 3; ++j)
        CHECK(after[j] == d.logits_after[j]);
    // Fixed rewards are paid exactly; Bernoulli ones are lo or hi.
    for (std::size_t k = 0; k < 6; ++k) {
        CAPTURE(k);
        CAPTURE(d.actions[k]);
        CAPTURE(d.rewards[k]);
        if (d.actions[k] == 2) CHECK(d.rewards[k] == 0.5);
        if (d.actions[k] == 1) CHECK((d.rewards[k] == -1.0 || d.rewards[k] == 3.0));
    }
}

TEST_CASE("the cloud's running baseline subtracts the value the request carries") {
    // Same streams, same subtracted constant: a running baseline at value b is the constant
    // baseline b, sample for sample. It has no closed form (it depends on the history), so the
    // exact block says so.
    const rl::core::Settings base =
        rl_test::make_settings({rl_test::gaussian_reward(1.0, 2.0),
                                rl_test::bernoulli_reward(0.4, -1, 3), rl_test::fixed_reward(0.5)},
                               {0.1, -0.3, 0.4});
    rl::core::Settings running = with_baseline(base, BaselineKind::kRunning);
    running.estimator.K = 3;
    rl::core::Settings constant = with_baseline(base, BaselineKind::kConstant, 1.75);
    constant.estimator.K = 3;
    const std::unique_ptr<rl::engine::Engine> a = rl::engine::make_cpu_engine();
    const std::unique_ptr<rl::engine::Engine> b = rl::engine::make_cpu_engine();
    a->configure(rl::core::make_experiment(running));
    b->configure(rl::core::make_experiment(constant));
    rl::engine::CloudRequest r;
    r.logits = base.init_logits;
    r.K = 3;
    r.M = 4096;
    r.running_value = 1.75;
    const rl::engine::CloudResult ca = a->gradient_cloud(r);
    const rl::engine::CloudResult cb = b->gradient_cloud(r);
    CHECK_FALSE(ca.exact.closed_form);
    CHECK_FALSE(ca.exact.reason.empty());
    CHECK(cb.exact.closed_form);
    REQUIRE(ca.x.size() == cb.x.size());
    int differ = 0;
    for (std::size_t i = 0; i < ca.x.size(); ++i)
        if (std::abs(ca.x[i] - cb.x[i]) > 1e-6f * (1.0f + std::abs(cb.x[i]))) ++differ;
    CHECK(differ == 0);
    CHECK(ca.trace_cov == doctest::Approx(cb.trace_cov).epsilon(1e-9));
}

TEST_CASE("gradient clipping caps every estimate's norm and has no closed form") {
    rl::core::Settings s = with_baseline(rl_test::yes_no_maybe(), BaselineKind::kNone);
    const double clip = 2.0;
    s.estimator.clip = clip;
    const int M = 1 << 14;
    const rl::engine::CloudResult c = run_cloud(s, 1, M);
    CHECK_FALSE(c.exact.closed_form);
    CHECK_FALSE(c.exact.reason.empty());
    // Unclipped, a sample of yes has |g| = 8 |s_yes| = 8 sqrt(0.78) ~ 7.1 and no has
    // 3 sqrt(0.38) ~ 1.8: about 50% of the estimates (yes and maybe) are clipped to exactly 2.
    int clipped = 0, over = 0;
    for (double n2 : c.norm2) {
        if (n2 > clip * clip * (1.0 + 1e-12)) ++over;
        if (std::abs(n2 - clip * clip) <= 1e-12 * clip * clip) ++clipped;
    }
    CHECK(over == 0);
    CAPTURE(clipped);
    check_z("share clipped", static_cast<double>(clipped) / M, 0.5, std::sqrt(0.25 / M));
}

TEST_CASE("training: the EMA running baseline folds in each step's mean reward") {
    rl::core::Settings s = with_baseline(rl_test::yes_no_maybe(), BaselineKind::kRunning, 2.0);
    s.actions[1].reward = rl_test::gaussian_reward(3.0, 1.0);
    s.estimator.K = 4;
    s.estimator.running_mode = rl::core::RunningMode::kEma;
    s.estimator.running_decay = 0.75;
    s.runs = 5;
    REQUIRE(rl::core::validate(s).empty());
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine();
    engine->configure(rl::core::make_experiment(s));
    CHECK(engine->run_running_baseline(0) == 2.0);  // starts at the constant b
    double expected = 2.0;
    for (int step = 1; step <= 3; ++step) {
        const rl::engine::TrainingAdvance adv = engine->advance(1);
        const rl::engine::StepDetail& d = adv.run0;
        REQUIRE(d.rewards_used.size() == 4u);
        // This step subtracted the state before the update...
        CAPTURE(step);
        CHECK(d.baseline == doctest::Approx(expected).epsilon(1e-12));
        for (std::size_t k = 0; k < 4; ++k)
            CHECK(d.advantages[k] == doctest::Approx(d.rewards_used[k] - expected).epsilon(1e-12));
        // ...and then folded its own mean in: b <- 0.75 b + 0.25 mean(R).
        double mean = 0.0;
        for (double r : d.rewards_used)
            mean += r / 4.0;
        expected = 0.75 * expected + 0.25 * mean;
        CHECK(engine->run_running_baseline(0) == doctest::Approx(expected).epsilon(1e-12));
    }
}
