// Every random number is a pure function of (seed, purpose, run, step, batch, sample): the CPU
// engine must give bit-identical results for any thread count and on a repeat, and different
// results for a different seed.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/choices.hpp"
#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "support/sessions.hpp"

namespace {

// Bitwise equality of doubles (so -0.0 != 0.0 and NaN == NaN with the same payload): "the same
// arithmetic in the same order", not "close".
bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_bits(const rl::engine::Quantiles& a, const rl::engine::Quantiles& b) {
    return same_bits(a.mean, b.mean) && same_bits(a.p10, b.p10) && same_bits(a.p50, b.p50) &&
           same_bits(a.p90, b.p90);
}

void check_same_cloud(const rl::engine::CloudResult& a, const rl::engine::CloudResult& b) {
    CHECK(same_bits(a.x, b.x));
    CHECK(same_bits(a.y, b.y));
    CHECK(same_bits(a.norm2, b.norm2));
    CHECK(same_bits(a.mean, b.mean));
    CHECK(same_bits(a.mean_x, b.mean_x));
    CHECK(same_bits(a.mean_y, b.mean_y));
    CHECK(same_bits(a.trace_cov, b.trace_cov));
    CHECK(same_bits(a.snr, b.snr));
    CHECK(same_bits(a.uphill_share, b.uphill_share));
    CHECK(same_bits(a.mean_cosine, b.mean_cosine));
    CHECK(same_bits(a.axis_x, b.axis_x));
    CHECK(same_bits(a.axis_y, b.axis_y));
    CHECK(same_bits(a.true_gradient, b.true_gradient));
    CHECK(same_bits(a.exact.trace_cov, b.exact.trace_cov));
    CHECK(a.histogram.bins_x == b.histogram.bins_x);
    CHECK(a.histogram.bins_y == b.histogram.bins_y);
    CHECK(same_bits(a.histogram.x_min, b.histogram.x_min));
    CHECK(same_bits(a.histogram.x_max, b.histogram.x_max));
    CHECK(same_bits(a.histogram.y_min, b.histogram.y_min));
    CHECK(same_bits(a.histogram.y_max, b.histogram.y_max));
    CHECK(same_bits(a.histogram.counts, b.histogram.counts));
}

void check_same_step(const rl::engine::StepSummary& a, const rl::engine::StepSummary& b) {
    CAPTURE(a.step);
    CHECK(a.step == b.step);
    CHECK(same_bits(a.J, b.J));
    CHECK(same_bits(a.best_prob_share, b.best_prob_share));
    CHECK(same_bits(a.opt_action_share, b.opt_action_share));
    REQUIRE(a.action_probs.size() == b.action_probs.size());
    for (std::size_t i = 0; i < a.action_probs.size(); ++i) {
        CAPTURE(i);
        CHECK(same_bits(a.action_probs[i], b.action_probs[i]));
    }
}

void check_same_training(const rl::engine::TrainingAdvance& a,
                         const rl::engine::TrainingAdvance& b) {
    CHECK(a.diverged == b.diverged);
    REQUIRE(a.steps.size() == b.steps.size());
    for (std::size_t s = 0; s < a.steps.size(); ++s)
        check_same_step(a.steps[s], b.steps[s]);
    const rl::engine::StepDetail& da = a.run0;
    const rl::engine::StepDetail& db = b.run0;
    CHECK(da.step == db.step);
    CHECK(da.actions == db.actions);
    CHECK(same_bits(da.rewards, db.rewards));
    CHECK(same_bits(da.rewards_used, db.rewards_used));
    CHECK(same_bits(da.advantages, db.advantages));
    CHECK(same_bits(da.gradient, db.gradient));
    CHECK(same_bits(da.logits_after, db.logits_after));
    CHECK(same_bits(da.probs_after, db.probs_after));
}

// Exercises every stream: Gaussian and Bernoulli reward noise, a KL fold, a running baseline
// whose state carries across steps, and more runs and batches than threads.
rl::core::Settings busy_settings(rl::core::BaselineKind baseline) {
    rl::core::Settings s = rl_test::make_settings(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::bernoulli_reward(0.4, -1, 3),
         rl_test::fixed_reward(0.5), rl_test::gaussian_reward(-0.5, 0.7),
         rl_test::bernoulli_reward(0.8, 0, 2)},
        {0.1, -0.3, 0.4, 0.0, -0.2});
    s.reference_logits = {0.0, 0.0, 0.0, 0.0, 0.0};
    s.estimator.K = 5;  // odd: the last Philox block of each batch is half used
    s.estimator.baseline = baseline;
    s.estimator.kl_beta = 0.1;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    s.estimator.lr = 0.3;
    s.runs = 37;
    s.seed = 0x5eed5eed12345ull;
    REQUIRE(rl::core::validate(s).empty());
    return s;
}

rl::engine::CloudRequest cloud_request(const rl::core::Settings& s, int K, int M,
                                       std::uint32_t step) {
    rl::engine::CloudRequest r;
    r.logits = s.init_logits;
    r.K = K;
    r.M = M;
    r.step = step;
    r.run = 3;
    r.running_value = 0.25;
    return r;
}

// M is chosen so the cloud spans several of the engine's work units (about 2^15 samples each)
// with a ragged last one.
constexpr int kCloudM = 70001;

}  // namespace

TEST_CASE("cloud is bit-identical on 1, 2 and 3 threads") {
    for (rl::core::BaselineKind kind :
         {rl::core::BaselineKind::kRloo, rl::core::BaselineKind::kRunning,
          rl::core::BaselineKind::kGroupNorm}) {
        const rl::core::Settings s = busy_settings(kind);
        const rl::core::Experiment e = rl::core::make_experiment(s);
        const std::unique_ptr<rl::engine::Engine> one = rl::engine::make_cpu_engine(1);
        const std::unique_ptr<rl::engine::Engine> two = rl::engine::make_cpu_engine(2);
        const std::unique_ptr<rl::engine::Engine> three = rl::engine::make_cpu_engine(3);
        one->configure(e);
        two->configure(e);
        three->configure(e);
        INFO("baseline " << rl::core::to_string(kind));
        // Both ways of drawing a batch: sample by sample, and as counts and reward sums.
        for (const rl::engine::CloudDraw draw :
             {rl::engine::CloudDraw::kSamples, rl::engine::CloudDraw::kCounts}) {
            for (int K : {1, 5, 64}) {
                rl::engine::CloudRequest r = cloud_request(s, K, kCloudM, 9);
                r.draw = draw;
                const rl::engine::CloudResult a = one->gradient_cloud(r);
                const rl::engine::CloudResult b = two->gradient_cloud(r);
                const rl::engine::CloudResult c = three->gradient_cloud(r);
                CAPTURE(K);
                CAPTURE(a.drawn_as_counts);
                REQUIRE(a.x.size() == static_cast<std::size_t>(kCloudM));
                check_same_cloud(a, b);
                check_same_cloud(a, c);
            }
        }
    }
}

// Fixed rewards at K = 64 over three actions: one lookup decides a batch, so each outcome is
// folded once and the mean comes from the workers' tallies, which must add up the same.
TEST_CASE("cloud of folded count outcomes is bit-identical on 1, 2 and 3 threads") {
    rl::core::Settings s = rl_test::yes_no_maybe();
    s.estimator.K = 64;
    REQUIRE(rl::core::validate(s).empty());
    const rl::core::Experiment e = rl::core::make_experiment(s);
    std::vector<rl::engine::CloudResult> clouds;
    for (int threads : {1, 2, 3}) {
        const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine(threads);
        engine->configure(e);
        rl::engine::CloudRequest r = cloud_request(s, 64, kCloudM, 9);
        r.draw = rl::engine::CloudDraw::kCounts;
        clouds.push_back(engine->gradient_cloud(r));
        CHECK(clouds.back().drawn_as_counts);
    }
    check_same_cloud(clouds[0], clouds[1]);
    check_same_cloud(clouds[0], clouds[2]);
}

// A vocabulary-scale cloud: many tasks touch overlapping sets of thousands of actions, and the
// order of every per-action sum must still not depend on the thread count.
TEST_CASE("cloud at vocabulary scale is bit-identical on 1, 2 and 3 threads and on a repeat") {
    // Zipf-shaped, with the last logit pinned so the engine's a >= dim branch is taken too.
    std::vector<rl::core::RewardModel> fixed, noisy;
    std::vector<double> logits;
    for (int a = 0; a < 6000; ++a) {
        fixed.push_back(rl_test::fixed_reward(a % 50 == 0 ? 1.0 : 0.0));
        noisy.push_back(a % 97 == 0 ? rl_test::gaussian_reward(1.0, 0.5)
                                    : rl_test::fixed_reward(a % 3 == 0 ? 0.25 : 0.0));
        logits.push_back(-std::log(1.0 + a));
    }
    logits.back() = 0.0;  // the pinned logit
    for (const bool with_noise : {false, true}) {
        rl::core::Settings s = rl_test::make_settings(with_noise ? noisy : fixed, logits,
                                                      rl::core::Parameterization::kPinnedLast);
        s.estimator.K = 7;  // odd, as in the request below
        s.estimator.baseline = rl::core::BaselineKind::kRloo;
        REQUIRE(rl::core::validate(s).empty());
        const rl::core::Experiment e = rl::core::make_experiment(s);
        std::vector<std::unique_ptr<rl::engine::Engine>> engines;
        for (int threads : {1, 2, 3}) {
            engines.push_back(rl::engine::make_cpu_engine(threads));
            engines.back()->configure(e);
        }
        CAPTURE(with_noise);
        const rl::engine::CloudRequest r = cloud_request(s, 7, 9001, 4);
        const rl::engine::CloudResult a = engines[0]->gradient_cloud(r);
        check_same_cloud(a, engines[1]->gradient_cloud(r));
        check_same_cloud(a, engines[2]->gradient_cloud(r));
        check_same_cloud(a, engines[1]->gradient_cloud(r));  // scratch reused by a repeat
    }
}

TEST_CASE("training is bit-identical on 1 and 2 threads: summaries, details and logits") {
    for (rl::core::BaselineKind kind :
         {rl::core::BaselineKind::kRloo, rl::core::BaselineKind::kRunning}) {
        const rl::core::Settings s = busy_settings(kind);
        const rl::core::Experiment e = rl::core::make_experiment(s);
        const std::unique_ptr<rl::engine::Engine> one = rl::engine::make_cpu_engine(1);
        const std::unique_ptr<rl::engine::Engine> two = rl::engine::make_cpu_engine(2);
        one->configure(e);
        two->configure(e);
        INFO("baseline " << rl::core::to_string(kind));
        // Two advances of 10: the second continues from the state the first left.
        for (int chunk = 0; chunk < 2; ++chunk) {
            const rl::engine::TrainingAdvance a = one->advance(10);
            const rl::engine::TrainingAdvance b = two->advance(10);
            CAPTURE(chunk);
            REQUIRE(a.steps.size() == 10u);
            check_same_training(a, b);
        }
        CHECK(one->steps_done() == 20);
        CHECK(two->steps_done() == 20);
        for (int run : {0, 1, 17, 36}) {
            CAPTURE(run);
            CHECK(same_bits(one->run_logits(run), two->run_logits(run)));
            CHECK(same_bits(one->run_running_baseline(run), two->run_running_baseline(run)));
        }
        // The runs really moved, and apart: a frozen engine would pass the checks above.
        CHECK_FALSE(same_bits(one->run_logits(0), s.init_logits));
        CHECK_FALSE(same_bits(one->run_logits(0), one->run_logits(1)));
    }
}

TEST_CASE("the same engine repeats itself: same cloud twice, same training after a reconfigure") {
    const rl::core::Settings s = busy_settings(rl::core::BaselineKind::kRunning);
    const rl::core::Experiment e = rl::core::make_experiment(s);
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine(2);
    engine->configure(e);
    const rl::engine::CloudRequest r = cloud_request(s, 5, kCloudM, 4);
    const rl::engine::CloudResult first = engine->gradient_cloud(r);
    const rl::engine::TrainingAdvance trained = engine->advance(20);
    // Training in between must not disturb the cloud's streams.
    check_same_cloud(first, engine->gradient_cloud(r));

    engine->configure(e);
    CHECK(engine->steps_done() == 0);
    check_same_training(trained, engine->advance(20));
}

TEST_CASE("a different seed, step or run gives different samples") {
    const rl::core::Settings s = busy_settings(rl::core::BaselineKind::kRloo);
    rl::core::Settings other = s;
    other.seed = s.seed + 1;
    const std::unique_ptr<rl::engine::Engine> a = rl::engine::make_cpu_engine(2);
    const std::unique_ptr<rl::engine::Engine> b = rl::engine::make_cpu_engine(2);
    a->configure(rl::core::make_experiment(s));
    b->configure(rl::core::make_experiment(other));

    const rl::engine::CloudRequest r = cloud_request(s, 5, 4096, 0);
    const rl::engine::CloudResult ca = a->gradient_cloud(r);
    const rl::engine::CloudResult cb = b->gradient_cloud(r);
    // Same policy, so the exact side agrees; the samples do not.
    CHECK(same_bits(ca.axis_x, cb.axis_x));
    CHECK_FALSE(same_bits(ca.x, cb.x));
    CHECK_FALSE(same_bits(ca.trace_cov, cb.trace_cov));

    rl::engine::CloudRequest next_step = r;
    next_step.step = 1;
    CHECK_FALSE(same_bits(ca.x, a->gradient_cloud(next_step).x));
    rl::engine::CloudRequest other_run = r;
    other_run.run = 4;
    CHECK_FALSE(same_bits(ca.x, a->gradient_cloud(other_run).x));

    const rl::engine::TrainingAdvance ta = a->advance(5);
    const rl::engine::TrainingAdvance tb = b->advance(5);
    CHECK_FALSE(same_bits(a->run_logits(0), b->run_logits(0)));
    CHECK_FALSE(same_bits(ta.run0.rewards, tb.run0.rewards));
}
