// Episodes through the Engine interface (engine/engine.hpp): the CPU engine's training and cloud
// independent of the thread count, the cloud's axes and numbers, a one-token sequence giving the
// bandit's cloud, the fallback running what its primary refuses, refused settings that keep
// what the engine held, and a cloud drawn in slices being the cloud drawn at once.

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "engine/cpu_engine.hpp"
#include "engine/fallback_engine.hpp"
#include "engine/forwarding_engine.hpp"
#include "io/presets.hpp"

namespace {

using rl::core::Settings;
using rl::engine::CloudResult;
using rl::engine::EpisodeCloudRequest;

Settings preset(const std::string& name) {
    const rl::io::SettingsResult r = rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, name);
    REQUIRE_MESSAGE(r.settings.has_value(), r.error);
    return *r.settings;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    REQUIRE(a.size() == b.size());
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

EpisodeCloudRequest cloud_at(const std::vector<double>& logits, int K, int M) {
    EpisodeCloudRequest r;
    r.logits = logits;
    r.K = K;
    r.M = M;
    r.step = 3;
    return r;
}

// An engine that refuses episodes, as the CUDA engine does, and runs bandits on a CPU engine.
class RefusingEngine final : public rl::engine::ForwardingEngine {
  public:
    RefusingEngine() : ForwardingEngine(rl::engine::make_cpu_engine(1)) {}
    std::string_view name() const override { return "refusing"; }
    std::string episode_refusal() const override { return "no episodes here"; }
    rl::engine::EpisodeStart configure_episodes(const Settings&) override {
        throw std::invalid_argument("no episodes here");
    }
};

}  // namespace

TEST_CASE("engine episodes: the thread count changes no step summary and no cloud") {
    Settings s = preset("one-bad-token");
    s.runs = 12;
    rl::engine::CpuEngine one(1), three(3);
    const rl::engine::EpisodeStart a = one.configure_episodes(s);
    const rl::engine::EpisodeStart b = three.configure_episodes(s);
    CHECK(a.best_actions == b.best_actions);
    const rl::engine::EpisodeAdvance ta = one.advance_episodes(4), tb = three.advance_episodes(4);
    REQUIRE(ta.steps.size() == 4);
    REQUIRE(tb.steps.size() == 4);
    CHECK(one.steps_done() == 4);
    for (std::size_t i = 0; i < ta.steps.size(); ++i) {
        CHECK(ta.steps[i].step == static_cast<int>(i) + 1);
        CHECK(ta.steps[i].J.mean == tb.steps[i].J.mean);
        CHECK(ta.steps[i].J.p50 == tb.steps[i].J.p50);
        CHECK(ta.steps[i].best_prob_p50 == tb.steps[i].best_prob_p50);
    }
    for (int r = 0; r < s.runs; ++r)
        CHECK(one.run_logits(r) == three.run_logits(r));
    const CloudResult ca = one.episode_cloud(cloud_at(one.run_logits(0), 4, 300));
    const CloudResult cb = three.episode_cloud(cloud_at(three.run_logits(0), 4, 300));
    CHECK(ca.x == cb.x);
    CHECK(ca.y == cb.y);
    CHECK(ca.axis_y == cb.axis_y);
    CHECK(ca.trace_cov == cb.trace_cov);
}

TEST_CASE("engine episodes: the cloud lies on unit axes along the true gradient, exact beside") {
    const Settings s = preset("token-chain");
    rl::engine::CpuEngine engine(2);
    engine.configure_episodes(s);
    const int M = 4096;
    const CloudResult c = engine.episode_cloud(cloud_at(engine.run_logits(0), s.estimator.K, M));
    const rl::core::EpisodeProblem problem = rl::core::make_episode_problem(s);
    const rl::core::EpisodeExact exact = rl::core::episode_exact(
        *problem.model, problem.initial, rl::core::episode_estimator(s.estimator));
    REQUIRE(exact.exact);
    CHECK_FALSE(c.exact_on_axes);
    REQUIRE(c.exact.closed_form);
    CHECK(c.exact.trace_cov == doctest::Approx(exact.trace_cov).epsilon(1e-12));
    CHECK(dot(c.true_gradient, c.true_gradient) ==
          doctest::Approx(dot(exact.gradient, exact.gradient)).epsilon(1e-12));
    CHECK(dot(c.axis_x, c.axis_x) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(dot(c.axis_y, c.axis_y) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(std::abs(dot(c.axis_x, c.axis_y)) < 1e-12);
    CHECK(c.true_x == doctest::Approx(std::sqrt(dot(exact.gradient, exact.gradient))));
    CHECK(std::abs(c.true_y) < 1e-12);
    REQUIRE(c.x.size() == static_cast<std::size_t>(M));
    double sum_x = 0.0, sum_y = 0.0;
    for (int m = 0; m < M; ++m) {
        sum_x += c.x[m];
        sum_y += c.y[m];
    }
    // The points are the estimates projected (as floats): their mean is the mean's projection.
    CHECK(sum_x / M == doctest::Approx(c.mean_x).epsilon(1e-5));
    CHECK(sum_y / M == doctest::Approx(c.mean_y).scale(1.0).epsilon(1e-5));
    // The sample mean along a unit axis has variance at most tr(Cov)/M: 4 such deviations bound
    // it (Chebyshev: a false alarm at most 1 in 16; the mean of 4096 is near normal, so far less).
    const double sd = std::sqrt(exact.trace_cov / M);
    CHECK(std::abs(c.mean_x - c.exact_mean_x) < 4.0 * sd);
    CHECK(std::abs(c.mean_y - c.exact_mean_y) < 4.0 * sd);
    CHECK(c.exact_mean_x == doctest::Approx(c.true_x).epsilon(1e-12));  // unbiased, baseline none
    std::uint64_t counted = 0;
    for (const std::uint32_t n : c.histogram.counts)
        counted += n;
    CHECK(counted == static_cast<std::uint64_t>(M));
}

TEST_CASE("engine episodes: a one-token sequence's cloud is the bandit's cloud") {
    // yes-no-maybe as a bandit and as a sequence of one token, with the RLOO baseline.
    Settings bandit = preset("yes-no-maybe");
    bandit.estimator.baseline = rl::core::BaselineKind::kRloo;
    bandit.estimator.K = 4;
    Settings tokens = bandit;
    tokens.problem = rl::core::ProblemKind::kTokens;
    tokens.length = 1;
    INFO(rl::core::validate(tokens));
    REQUIRE(rl::core::validate(tokens).empty());
    rl::engine::CpuEngine a(2), b(2);
    a.configure(rl::core::make_experiment(bandit));
    b.configure_episodes(tokens);
    rl::engine::CloudRequest request;
    request.logits = bandit.init_logits;
    request.K = 4;
    request.M = 4096;
    const CloudResult bc = a.gradient_cloud(request);
    const CloudResult ec = b.episode_cloud(cloud_at(b.run_logits(0), 4, 4096));
    REQUIRE(bc.true_gradient.size() == ec.true_gradient.size());
    for (std::size_t i = 0; i < bc.true_gradient.size(); ++i)
        CHECK(ec.true_gradient[i] == doctest::Approx(bc.true_gradient[i]).epsilon(1e-12));
    REQUIRE(bc.exact.closed_form);
    REQUIRE(ec.exact.closed_form);
    CHECK(ec.exact.trace_cov == doctest::Approx(bc.exact.trace_cov).epsilon(1e-10));
    CHECK(ec.exact.snr == doctest::Approx(bc.exact.snr).epsilon(1e-10));
    CHECK(dot(ec.axis_x, bc.axis_x) == doctest::Approx(1.0).epsilon(1e-12));
    // The bandit's y axis comes from the exact covariance, the sequence's from 4096 estimates:
    // the same line, up to sign and sampling error.
    CHECK(std::abs(dot(ec.axis_y, bc.axis_y)) > 0.99);
}

TEST_CASE("engine episodes: the fallback runs episodes its primary refuses, bandits on it again") {
    rl::engine::FallbackEngine engine(std::make_unique<RefusingEngine>(),
                                      [] { return rl::engine::make_cpu_engine(1); });
    const Settings bandit = preset("yes-no-maybe");
    engine.configure(rl::core::make_experiment(bandit));
    engine.advance(2);
    Settings chain = preset("token-chain");
    chain.runs = 8;
    const rl::engine::EpisodeStart start = engine.configure_episodes(chain);
    CHECK(start.initial.step == 0);
    CHECK(start.best_actions.size() == static_cast<std::size_t>(chain.length));
    const std::string notice = engine.take_notice();
    CHECK(notice.find("no episodes here") != std::string::npos);
    CHECK(notice.find("CPU engine") != std::string::npos);
    CHECK(engine.advance_episodes(3).steps.size() == 3);
    CHECK(engine.steps_done() == 3);
    CHECK(engine.run_logits(0).size() == 2u * static_cast<std::size_t>(chain.length));
    CHECK(engine.episode_cloud(cloud_at(engine.run_logits(0), 4, 64)).x.size() == 64u);
    CHECK_THROWS_AS(engine.advance(1), std::logic_error);
    engine.configure(rl::core::make_experiment(bandit));
    CHECK(engine.name() == "refusing");
    CHECK(engine.advance(1).steps.size() == 1);
    CHECK(engine.steps_done() == 1);
    CHECK_THROWS_AS(engine.advance_episodes(1), std::logic_error);
    CHECK_FALSE(engine.fell_back());
}

TEST_CASE("engine episodes: settings an engine refuses leave the problem it held") {
    rl::engine::CpuEngine engine(1);
    Settings chain = preset("token-chain");
    chain.runs = 4;
    engine.configure_episodes(chain);
    engine.advance_episodes(2);
    const std::vector<double> logits = engine.run_logits(0);
    // The optimal baseline needs every trajectory: 64 tokens of 64 are far too many.
    Settings large = preset("one-bad-token");
    large.estimator.baseline = rl::core::BaselineKind::kOptimal;
    large.length = 64;
    CHECK_THROWS_AS(engine.configure_episodes(large), std::invalid_argument);
    CHECK_THROWS_AS(engine.configure_episodes(preset("yes-no-maybe")), std::invalid_argument);
    Settings broken = chain;
    broken.length = 0;
    CHECK_THROWS_AS(engine.configure_episodes(broken), std::invalid_argument);
    CHECK(engine.steps_done() == 2);
    CHECK(engine.run_logits(0) == logits);
    CHECK(engine.advance_episodes(1).steps.front().step == 3);
    EpisodeCloudRequest wrong = cloud_at(logits, 4, 64);
    wrong.logits.pop_back();
    CHECK_THROWS_AS(engine.episode_cloud(wrong), std::invalid_argument);
    CHECK_THROWS_AS(engine.gradient_cloud({}), std::logic_error);
}

namespace {

void check_sliced_cloud(rl::core::BaselineKind baseline) {
    Settings s = preset("one-bad-token");
    s.runs = 4;
    s.estimator.baseline = baseline;
    rl::engine::CpuEngine engine(2);
    engine.configure_episodes(s);
    engine.advance_episodes(3);
    // 1,000 batches: measured in chunks of 64, so slices of 1 and 100 are rounded up to whole
    // chunks and the last slice is a part of one.
    const EpisodeCloudRequest request = cloud_at(engine.run_logits(0), 4, 1000);
    const CloudResult whole = engine.episode_cloud(request);
    for (const int slice : {1, 1000, 5000, 100}) {
        CAPTURE(slice);
        engine.start_episode_cloud(request);
        int calls = 1;
        std::optional<CloudResult> drawn = engine.continue_episode_cloud(slice);
        // A training step between two calls (last, as it moves the runs) changes nothing: the
        // draw keeps the policy and the baselines' memory it started with.
        if (slice == 100) engine.advance_episodes(1);
        while (!drawn) {
            drawn = engine.continue_episode_cloud(slice);
            ++calls;
        }
        // A slice of 1 is one chunk (16 calls for 1,000), of 100 two (8 calls).
        const int rounded = (slice + 63) / 64 * 64;
        CHECK(calls == (1000 + rounded - 1) / rounded);
        CHECK(drawn->x == whole.x);
        CHECK(drawn->y == whole.y);
        CHECK(drawn->norm2 == whole.norm2);
        CHECK(drawn->axis_x == whole.axis_x);
        CHECK(drawn->axis_y == whole.axis_y);
        CHECK(drawn->mean == whole.mean);
        CHECK(drawn->trace_cov == whole.trace_cov);
        CHECK(drawn->snr == whole.snr);
        CHECK(drawn->uphill_share == whole.uphill_share);
        CHECK(drawn->histogram.counts == whole.histogram.counts);
        // Done: a further call has nothing to continue.
        CHECK_THROWS_AS(engine.continue_episode_cloud(slice), std::logic_error);
    }
}

}  // namespace

TEST_CASE("engine episodes: a cloud drawn in slices is the cloud drawn at once, bit for bit") {
    check_sliced_cloud(rl::core::BaselineKind::kNone);
    // The learned critic: the draw keeps the table its estimates look into.
    check_sliced_cloud(rl::core::BaselineKind::kLearnedValue);
}

TEST_CASE("engine episodes: configuring drops a cloud not finished, a bad start throws") {
    Settings s = preset("token-chain");
    s.runs = 4;
    rl::engine::CpuEngine engine(1);
    CHECK_THROWS_AS(engine.start_episode_cloud(cloud_at({0.0}, 4, 64)), std::logic_error);
    engine.configure_episodes(s);
    const EpisodeCloudRequest request = cloud_at(engine.run_logits(0), 4, 640);
    engine.start_episode_cloud(request);
    CHECK_FALSE(engine.continue_episode_cloud(64).has_value());
    engine.configure_episodes(s);
    CHECK_THROWS_AS(engine.continue_episode_cloud(64), std::logic_error);
    EpisodeCloudRequest wrong = request;
    wrong.logits.pop_back();
    CHECK_THROWS_AS(engine.start_episode_cloud(wrong), std::invalid_argument);
    // A new start replaces the one before.
    engine.start_episode_cloud(request);
    CHECK_FALSE(engine.continue_episode_cloud(64).has_value());
    engine.start_episode_cloud(cloud_at(engine.run_logits(0), 4, 64));
    const std::optional<CloudResult> small = engine.continue_episode_cloud(64);
    REQUIRE(small.has_value());
    CHECK(small->x.size() == 64u);
}
