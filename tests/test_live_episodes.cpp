// Episodes in the live session: the runs step as the engine steps them, the window's views are
// filled from the engine and core's exact moments, edits keep or restart the runs as they should,
// and a saved episode run reloads bit for bit; while playing, a cloud is drawn over several ticks.

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/choices.hpp"
#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "io/presets.hpp"
#include "io/session_file.hpp"
#include "live/live_model.hpp"
#include "live/runner.hpp"
#include "live/snr_curves.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

using rl::live::Level;
using rl::live::Results;
using rl::live::Runner;
using rl_test::edit;
using rl_test::has_message;
using rl_test::snapshot;
using rl_test::take_steps;

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
    return true;
}

bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i])) return false;
    return true;
}

}  // namespace

TEST_CASE("Live episodes: the window's runs are the engine's, step for step") {
    const rl::core::Settings s = rl_test::small_episode_preset("one-bad-token");
    Runner live(s, rl_test::cpu_options());
    take_steps(live, 6);
    const Results r = snapshot(live);
    REQUIRE(r.episodes.active);
    CHECK(r.steps_done == 6);
    CHECK(r.tracked_actions.empty());
    CHECK(r.history.step.size() == 6);

    // The same settings on an engine of their own give the same J quantiles, bit for bit.
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine(1);
    const rl::engine::EpisodeStart start = engine->configure_episodes(s);
    const rl::engine::EpisodeAdvance advanced = engine->advance_episodes(6);
    REQUIRE(advanced.steps.size() == 6);
    for (std::size_t i = 0; i < 6; ++i) {
        CAPTURE(i);
        CHECK(r.history.step[i] == advanced.steps[i].step);
        CHECK(std::bit_cast<std::uint64_t>(r.history.j_p50[i]) ==
              std::bit_cast<std::uint64_t>(advanced.steps[i].J.p50));
        CHECK(r.history.best_share[i] == advanced.steps[i].greedy_best_share);
    }
    // The policy over positions: every position's median probabilities, the best marked.
    const rl::live::EpisodeResults& e = r.episodes;
    CHECK(e.blocks == static_cast<std::size_t>(s.length));
    CHECK(e.actions == s.actions.size());
    CHECK(same_bits(e.probs_p50, advanced.steps.back().block_probs_p50));
    REQUIRE(e.block_names.size() == e.blocks);
    CHECK(e.block_names.front() == "t1");
    CHECK(e.block_names.back() == "t" + std::to_string(s.length));
    REQUIRE(e.best.size() == e.blocks);
    CHECK(e.best[0] == start.best_actions[0]);
    // No best J line: an episode's optimum has no closed form in general.
    CHECK(std::isnan(r.best_J));
}

TEST_CASE("Live episodes: the cloud is measured on its axes and the SNR curves are core's") {
    const rl::core::Settings s = rl_test::small_episode_preset("token-chain");
    Runner live(s, rl_test::cpu_options());
    take_steps(live, 3);
    const Results r = snapshot(live);
    REQUIRE(r.cloud_valid);
    CHECK(r.cloud_step == 3);
    CHECK_FALSE(r.cloud.exact_on_axes);
    CHECK(r.cloud.x.size() == static_cast<std::size_t>(s.M));
    // The ellipse the plot draws: the sample covariance of the projected estimates.
    double mx = 0.0, sxx = 0.0;
    for (const float x : r.cloud.x)
        mx += x;
    mx /= static_cast<double>(r.cloud.x.size());
    for (const float x : r.cloud.x)
        sxx += (x - mx) * (x - mx);
    const double var_x = sxx / static_cast<double>(r.cloud.x.size() - 1);
    CHECK(r.cloud.measured_var_x == doctest::Approx(var_x).epsilon(1e-9));
    CHECK(r.cloud.measured_var_y > 0.0);

    // Every baseline's curve, at run 0's policy, from the exact moments.
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine(1);
    engine->configure_episodes(s);
    engine->advance_episodes(3);
    const rl::core::EpisodeProblem problem = rl::core::make_episode_problem(s);
    const rl::core::EpisodePolicy policy =
        rl::core::make_episode_policy(s.parameterization, s.actions.size(), engine->run_logits(0));
    int compared = 0;
    for (const rl::live::SnrCurve& curve : r.snr_exact) {
        CAPTURE(rl::core::to_string(curve.baseline));
        if (curve.K.empty()) {
            CHECK_FALSE(curve.reason.empty());
            continue;
        }
        for (std::size_t i = 0; i < curve.K.size(); i += 5) {
            rl::core::EstimatorSettings est = s.estimator;
            est.baseline = curve.baseline;
            est.K = static_cast<int>(curve.K[i]);
            const rl::core::EpisodeExact exact = rl::core::with_objective(
                rl::core::episode_exact(*problem.model, policy, rl::core::episode_estimator(est)),
                rl::core::episode_objective(*problem.model, policy, problem.reference_log_probs,
                                            est));
            REQUIRE(exact.exact);
            CHECK(curve.snr[i] == doctest::Approx(exact.snr).epsilon(1e-9));
            ++compared;
        }
    }
    CHECK(compared >= 5 * 3);
    // The baselines that need a history have no closed form, and say so.
    for (const rl::live::SnrCurve& curve : r.snr_exact)
        if (curve.baseline == rl::core::BaselineKind::kLearnedValue) CHECK(curve.K.empty());
}

TEST_CASE("Live episodes: the SNR plot's points are measured at the cloud's policy, K after K") {
    // The token chain at its start (p = 1/2 everywhere, K = 1, no baseline): one sample's
    // estimate is g = R sum_t psi_t with |psi_t|^2 = 1/2, so |g| <= 8 * 2 = 16, |E g| = 1 and
    // tr Cov = T (T^2 + T - 1) / 8 = 71 (MATH.md 13). Hence |g - E g| <= 17 and
    // E|g - E g|^4 <= 17^2 tr: the trace estimated from M batches has a relative standard
    // deviation at most sqrt((289 / 71 - 1) / M), and |mean|^2 - tr / M, the signal, one of
    // about 2 sqrt(tr / M) / |E g|^2; the SNR, their ratio's square root, about half their sum.
    rl::core::Settings s = rl_test::small_episode_preset("token-chain");
    s.estimator.K = 1;
    s.M = 4096;
    Runner live(s, rl_test::cpu_options());
    rl_test::run_frames(live, 40);
    const Results r = snapshot(live);
    const std::vector<rl::live::SnrPoint>& points = r.episodes.snr_points;
    REQUIRE(!points.empty());
    CHECK(points.front().K == 1);
    for (std::size_t i = 1; i < points.size(); ++i)
        CHECK(points[i].K == 2 * points[i - 1].K);
    for (const rl::live::SnrPoint& p : points)
        CHECK(p.current);
    // The longest a point may take: 64 batches of K sequences of 8 tokens, 2^18 decisions.
    CHECK(points.back().K <= 512);
    const rl::live::SnrPoint& one = points.front();
    const double M = one.batches;
    CHECK(M == 4096);
    const double rel = 0.5 * (std::sqrt((289.0 / 71.0 - 1.0) / M) + 2.0 * std::sqrt(71.0 / M));
    const double exact = std::sqrt(1.0 / 71.0);
    MESSAGE("token chain, K = 1: measured SNR " << one.snr << ", exact " << exact
                                                << ", 5 sigma = " << 5.0 * rel * exact);
    CHECK(std::abs(one.snr - exact) < 5.0 * rel * exact);
}

TEST_CASE("Live episodes: M and steps keep the runs, credit starts them over") {
    Runner live(rl_test::small_episode_preset("token-chain"), rl_test::cpu_options());
    take_steps(live, 4);
    live.take_messages();
    edit(live, "M", "512");
    edit(live, "steps", "50");
    Results r = snapshot(live);
    CHECK(r.steps_done == 4);
    CHECK(r.cloud.x.size() == 512);
    edit(live, "credit", "reward_to_go");
    r = snapshot(live);
    CHECK(r.steps_done == 0);
    CHECK(r.settings.estimator.credit == rl::core::Credit::kRewardToGo);
    CHECK(has_message(live.take_messages(), Level::kInfo, "credit changed: the runs started over"));
}

TEST_CASE("Live episodes: a bandit after episodes and episodes after a bandit") {
    Runner live(rl_test::yes_no_maybe(), rl_test::cpu_options());
    take_steps(live, 2);
    REQUIRE(live.apply(rl_test::small_episode_preset("short-corridor")).empty());
    live.wait_idle();
    take_steps(live, 3);
    Results r = snapshot(live);
    CHECK(r.episodes.active);
    CHECK(r.steps_done == 3);
    CHECK(r.episodes.block_names == std::vector<std::string>{"start, reversed, third"});
    REQUIRE(live.apply(rl_test::yes_no_maybe()).empty());
    live.wait_idle();
    take_steps(live, 2);
    r = snapshot(live);
    CHECK_FALSE(r.episodes.active);
    CHECK(r.steps_done == 2);
    CHECK(r.tracked_actions.size() == 3);
    CHECK(r.detail_valid);
}

TEST_CASE("Live episodes: a run saved mid-way reloads and goes on bit for bit") {
    rl_test::TempDir dir;
    Runner original(rl_test::small_episode_preset("one-bad-token"), rl_test::cpu_options());
    take_steps(original, 5);
    edit(original, "steps", "300");  // an edit that keeps the runs: the timeline has two entries
    take_steps(original, 4);
    const rl::io::SessionFile saved = original.snapshot();
    CHECK(saved.step == 9);
    const std::filesystem::path file = dir.path / "episodes.json";
    REQUIRE(rl::io::write_session_file(file, saved).empty());
    const rl::io::SessionFileResult read = rl::io::read_session_file(file);
    REQUIRE_MESSAGE(read, read.error);

    Runner loaded(rl_test::small_episode_preset("token-chain"), rl_test::cpu_options());
    take_steps(loaded, 2);
    REQUIRE(loaded.load(*read.document, "episodes.json").empty());
    loaded.wait_idle();
    CHECK(snapshot(loaded).steps_done == 9);
    // Both go on from step 9: the same runs, the same cloud.
    take_steps(original, 3);
    take_steps(loaded, 3);
    const Results a = snapshot(original), b = snapshot(loaded);
    CHECK(b.steps_done == 12);
    CHECK(same_bits(a.history.j_p50, b.history.j_p50));
    CHECK(same_bits(a.history.j_p90, b.history.j_p90));
    CHECK(same_bits(a.episodes.probs_p50, b.episodes.probs_p50));
    CHECK(same_floats(a.cloud.x, b.cloud.x));
    CHECK(same_floats(a.cloud.y, b.cloud.y));
}

TEST_CASE("Live episodes: playing, a cloud is drawn over several ticks and shown whole") {
    rl::core::Settings s = rl_test::small_episode_preset("one-bad-token");
    s.M = 4096;  // measured in chunks of 64: sixteen slices of 256 batches
    Runner live(s, rl_test::cpu_options());
    Results r = snapshot(live);
    REQUIRE(r.cloud_valid);
    CHECK(r.cloud_step == 0);  // a problem's first cloud, at once
    live.set_playing(true);
    int redrawn = 0;
    int shown_step = r.cloud_step;
    for (int frame = 0; frame < 4 * rl::live::kEpisodeCloudFrames && redrawn < 2; ++frame) {
        rl_test::run_frames(live, 1);
        r = snapshot(live);
        if (r.cloud_step == shown_step) continue;
        // Started in one tick, finished kEpisodeCloudSlices - 1 ticks (a step each) later; the
        // frames between go on showing the cloud before.
        CHECK(r.steps_done - r.cloud_step == rl::live::kEpisodeCloudSlices - 1);
        shown_step = r.cloud_step;
        ++redrawn;
    }
    REQUIRE(redrawn == 2);
    live.set_playing(false);
    live.wait_idle();

    // The cloud shown is the one an engine draws at once at that step.
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine(1);
    engine->configure_episodes(s);
    engine->advance_episodes(r.cloud_step);
    const rl::engine::EpisodeCloudRequest request{
        engine->run_logits(0), static_cast<std::uint32_t>(r.cloud_step), s.estimator.K, s.M,
        rl::live::histogram_bins(s.M)};
    const rl::engine::CloudResult whole = engine->episode_cloud(request);
    CHECK(same_floats(r.cloud.x, whole.x));
    CHECK(same_floats(r.cloud.y, whole.y));
    CHECK(r.cloud.trace_cov == whole.trace_cov);

    // Paused, a step's cloud comes with the step.
    take_steps(live, 1);
    r = snapshot(live);
    CHECK(r.cloud_step == r.steps_done);
}
