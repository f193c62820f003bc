// The live session: commands from the controls reach the engine on the worker thread, in order,
// and the published results are those of a direct engine run with the same settings.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "core/experiment.hpp"
#include "core/policy.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "live/history.hpp"
#include "live/runner.hpp"
#include "support/sessions.hpp"
#include "support/time_scale.hpp"
#include "test_live_support.hpp"

namespace {

using rl::live::Level;
using rl::live::Results;
using rl::live::Runner;
using rl_test::has_message;
using rl_test::run_frames;
using rl_test::snapshot;

// yes/no/maybe, small enough that a frame costs well under a millisecond.
rl::core::Settings small_settings() {
    return rl_test::small_yes_no_maybe(16, 256);
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += a[i] * b[i];
    return sum;
}

}  // namespace

TEST_CASE("Live session: playing advances steps_per_frame per frame and speed 0.5 half as often") {
    Runner live(small_settings(), rl_test::cpu_options());
    live.wait_idle();
    CHECK(snapshot(live).steps_done == 0);
    live.set_pace(3, 1.0);
    live.set_playing(true);
    CHECK(live.playing());
    run_frames(live, 10);
    CHECK(snapshot(live).steps_done == 30);

    live.set_pace(3, 0.5);
    run_frames(live, 10);
    const Results r = snapshot(live);
    CHECK(r.steps_done == 45);
    CHECK(r.playing);
    REQUIRE(!r.history.step.empty());
    CHECK(r.history.step.back() == 45);
}

TEST_CASE("Live session: step_once pauses and advances exactly one step") {
    Runner live(small_settings(), rl_test::cpu_options());
    live.set_pace(4, 1.0);
    live.set_playing(true);
    run_frames(live, 2);
    REQUIRE(snapshot(live).steps_done == 8);

    live.step_once();
    CHECK_FALSE(live.playing());
    run_frames(live, 1);
    Results r = snapshot(live);
    CHECK(r.steps_done == 9);
    CHECK_FALSE(r.playing);
    run_frames(live, 3);  // paused: frames add nothing
    CHECK(snapshot(live).steps_done == 9);

    // A step asked for with no frame to carry it still happens: wait_idle runs it.
    live.step_once();
    live.step_once();
    live.wait_idle();
    r = snapshot(live);
    CHECK(r.steps_done == 11);
    CHECK(r.detail_valid);
    CHECK(r.detail.step == 11);
}

TEST_CASE("Live session: results equal a direct CPU engine run bit for bit") {
    rl::core::Settings s = small_settings();
    s.estimator.K = 4;
    s.estimator.baseline = rl::core::BaselineKind::kRloo;
    Runner live(s, rl_test::cpu_options());
    live.set_pace(5, 1.0);
    live.set_playing(true);
    run_frames(live, 6);
    const Results r = snapshot(live);
    REQUIRE(r.steps_done == 30);

    rl::engine::EngineChoice direct = rl::engine::make_engine("cpu", 2);
    direct.engine->configure(rl::core::make_experiment(s));
    const rl::engine::TrainingAdvance a = direct.engine->advance(30);
    REQUIRE(a.steps.size() == 30);

    // == on finite doubles is bitwise equality (up to the sign of zero, which the softmax and
    // quantiles never produce here).
    CHECK(r.run0_probs == rl::core::softmax(direct.engine->run_logits(0)));
    CHECK(r.detail.logits_after == direct.engine->run_logits(0));
    REQUIRE(r.history.step.size() == 30);
    for (std::size_t i = 0; i < 30; ++i) {
        CAPTURE(i);
        CHECK(r.history.step[i] == a.steps[i].step);
        CHECK(r.history.j_p50[i] == a.steps[i].J.p50);
        for (std::size_t k = 0; k < 3; ++k)
            CHECK(r.history.prob_p50[k][i] == a.steps[i].action_probs[k].p50);
    }
    for (std::size_t k = 0; k < 3; ++k)
        CHECK(r.median_probs[k] == a.steps.back().action_probs[k].p50);
}

TEST_CASE("Live session: an invalid edit is refused with the field named and changes nothing") {
    const rl::core::Settings s = small_settings();
    Runner live(s, rl_test::cpu_options());
    live.wait_idle();

    rl::core::Settings bad_k = s;
    bad_k.estimator.K = 0;
    const std::string k_error = live.apply(bad_k);
    CHECK_MESSAGE(k_error.find("K") != std::string::npos, k_error);

    rl::core::Settings bad_reward = s;
    bad_reward.actions[0].reward.value = std::numeric_limits<double>::quiet_NaN();
    const std::string reward_error = live.apply(bad_reward);
    CHECK_MESSAGE(reward_error.find("action.0") != std::string::npos, reward_error);

    CHECK(live.settings().estimator.K == 1);
    CHECK(live.settings().actions[0].reward.value == 8.0);
    run_frames(live, 1);
    const Results r = snapshot(live);
    CHECK(r.settings.estimator.K == 1);
    CHECK(r.settings.actions[0].reward.value == 8.0);
}

TEST_CASE("Live session: a K change keeps the runs and the cloud and exact SNR follow K") {
    rl::core::Settings s = small_settings();
    Runner live(s, rl_test::cpu_options());
    live.set_pace(5, 1.0);
    live.step_once();
    run_frames(live, 1);
    const Results before = snapshot(live);
    REQUIRE(before.steps_done == 1);
    REQUIRE(before.cloud_valid);
    CHECK(before.highlight_valid);
    live.take_messages();

    s.estimator.K = 4;
    CHECK(live.apply(s).empty());
    CHECK(live.settings().estimator.K == 4);  // accepted at once, applied on the next tick
    run_frames(live, 1);
    const Results after = snapshot(live);
    CHECK(after.steps_done == 1);
    CHECK(after.settings.estimator.K == 4);
    CHECK(after.history.step.size() == 1);
    CHECK(after.cloud.x.size() == 256);
    // The same policy with four times the samples: the covariance is a quarter, the mean the same.
    CHECK(after.cloud_step == before.cloud_step);
    CHECK(after.cloud.exact.snr == doctest::Approx(2.0 * before.cloud.exact.snr).epsilon(1e-12));
    CHECK(4.0 * after.cloud.exact.trace_cov ==
          doctest::Approx(before.cloud.exact.trace_cov).epsilon(1e-12));
    // Step 1's estimate was a one-sample estimate: it is not a point of the K = 4 cloud.
    CHECK_FALSE(after.highlight_valid);
    const std::vector<rl::live::Message> messages = live.take_messages();
    CHECK_FALSE(has_message(messages, Level::kInfo, "started over"));
}

TEST_CASE("Live session: adding an action starts over with a message") {
    rl::core::Settings s = small_settings();
    Runner live(s, rl_test::cpu_options());
    live.set_pace(5, 1.0);
    live.set_playing(true);
    run_frames(live, 2);
    REQUIRE(snapshot(live).steps_done == 10);

    s.actions.push_back({"never", rl_test::fixed_reward(0.0)});
    s.init_logits.push_back(0.0);
    REQUIRE(live.apply(s).empty());
    live.set_playing(false);
    live.wait_idle();
    const Results r = snapshot(live);
    CHECK(r.steps_done == 0);
    CHECK(r.history.step.empty());
    CHECK(r.run0_probs.size() == 4);
    CHECK(r.tracked_actions.size() == 4);
    CHECK(r.median_probs.size() == 4);
    CHECK_FALSE(r.detail_valid);
    const std::vector<rl::live::Message> messages = live.take_messages();
    CHECK(has_message(messages, Level::kInfo, "Number of actions changed: the runs started over"));
}

TEST_CASE("Live session: reset goes back to step 0 and clears the history") {
    Runner live(small_settings(), rl_test::cpu_options());
    live.set_pace(5, 1.0);
    live.set_playing(true);
    run_frames(live, 3);
    live.reset();
    live.set_playing(false);
    live.wait_idle();
    const Results r = snapshot(live);
    CHECK(r.steps_done == 0);
    CHECK(r.history.step.empty());
    CHECK(r.cloud_step == 0);
    CHECK(has_message(live.take_messages(), Level::kInfo, "Reset"));
}

TEST_CASE("Live session: the history thins to its capacity and ends at the latest step") {
    rl::core::Settings s = rl_test::make_settings(
        {rl_test::fixed_reward(1.0), rl_test::fixed_reward(0.0)}, {0.0, 0.0});
    s.runs = 1;
    s.M = 2;
    s.steps = 1000000;
    s.estimator.lr = 1e-3;
    Runner live(s, rl_test::cpu_options());
    live.set_pace(1000, 1.0);
    live.set_playing(true);
    for (int target : {5000, 9001}) {
        for (int left = target - snapshot(live).steps_done; left > 0; left -= 1000) {
            live.set_pace(std::min(left, 1000), 1.0);
            run_frames(live, 1);
        }
        const Results r = snapshot(live);
        REQUIRE(r.steps_done == target);
        const rl::live::History& h = r.history;
        CAPTURE(target);
        CHECK(h.step.size() <= static_cast<std::size_t>(rl::live::kHistoryCapacity));
        CHECK(h.stride == (target == 5000 ? 2 : 4));
        CHECK(h.step.size() == h.j_p50.size());
        CHECK(h.step.size() == h.prob_p50[1].size());
        CHECK(h.step.back() == target);
        for (std::size_t i = 1; i < h.step.size(); ++i)
            REQUIRE(h.step[i - 1] < h.step[i]);
        for (std::size_t i = 0; i + 1 < h.step.size(); ++i)
            REQUIRE(static_cast<long long>(h.step[i]) % h.stride == 0);
    }
}

TEST_CASE("Live session: reaching the session's steps pauses with a message and Play goes on") {
    rl::core::Settings s = small_settings();
    s.steps = 10;
    Runner live(s, rl_test::cpu_options());
    live.set_pace(3, 1.0);
    live.set_playing(true);
    run_frames(live, 6);
    Results r = snapshot(live);
    CHECK(r.steps_done == 10);
    CHECK_FALSE(r.playing);
    CHECK_FALSE(live.playing());
    CHECK(has_message(live.take_messages(), Level::kInfo,
                      "Reached the session's 10 steps; press Play to continue."));

    live.set_playing(true);
    run_frames(live, 2);
    r = snapshot(live);
    CHECK(r.steps_done == 16);
    CHECK(r.playing);
}

TEST_CASE("Live session: the highlight is the used estimate on the cloud's axes") {
    rl::core::Settings s = small_settings();
    s.estimator.K = 2;
    Runner live(s, rl_test::cpu_options());
    live.step_once();
    live.step_once();
    run_frames(live, 1);
    const Results r = snapshot(live);
    REQUIRE(r.detail_valid);
    REQUIRE(r.cloud_valid);
    CHECK(r.cloud_step == r.detail.step);
    CHECK(r.highlight_valid);
    CHECK(r.highlight_x == doctest::Approx(dot(r.detail.gradient, r.cloud.axis_x)).epsilon(1e-12));
    CHECK(r.highlight_y == doctest::Approx(dot(r.detail.gradient, r.cloud.axis_y)).epsilon(1e-12));
    // The cloud is drawn where run 0's latest step sampled from.
    CHECK(r.cloud.true_gradient == r.detail.true_gradient);

    s.estimator.lr = 0.5;  // the learning rate does not change the estimate
    REQUIRE(live.apply(s).empty());
    live.wait_idle();
    CHECK(snapshot(live).highlight_valid);
    s.estimator.baseline = rl::core::BaselineKind::kExpected;
    REQUIRE(live.apply(s).empty());
    live.wait_idle();
    CHECK_FALSE(snapshot(live).highlight_valid);
}

TEST_CASE("Live session: destroying it while playing neither hangs nor crashes") {
    rl::core::Settings s = rl_test::yes_no_maybe();
    s.steps = 1000000;
    const auto start = std::chrono::steady_clock::now();
    {
        Runner live(s, rl_test::cpu_options());
        live.set_pace(1000, 1.0);
        live.set_playing(true);
        for (int i = 0; i < 5; ++i)
            live.frame();  // no waiting: the worker is busy when the session goes
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 5.0 * rl_test::time_scale());
}

TEST_CASE("Live session: a diverging run pauses with the engine's reason") {
    auto faults = std::make_shared<rl_test::Faults>();
    faults->diverge_at = 7;
    Runner live(small_settings(), std::make_unique<rl_test::FaultyEngine>(faults),
                rl::engine::make_cpu_engine(2), "faulty engine");
    live.set_pace(5, 1.0);
    live.set_playing(true);
    run_frames(live, 3);
    const Results r = snapshot(live);
    CHECK(r.steps_done == 7);
    CHECK_FALSE(r.playing);
    CHECK_FALSE(live.playing());
    const std::vector<rl::live::Message> messages = live.take_messages();
    CHECK(has_message(messages, Level::kInfo, "faulty engine"));
    CHECK(has_message(messages, Level::kError, "run 0 diverged at step 7: injected"));
}

TEST_CASE("Live session: an engine exception pauses with an error and keeps the last results") {
    auto faults = std::make_shared<rl_test::Faults>();
    Runner live(small_settings(), std::make_unique<rl_test::FaultyEngine>(faults),
                rl::engine::make_cpu_engine(2));
    live.set_pace(2, 1.0);
    live.set_playing(true);
    run_frames(live, 2);
    const Results good = snapshot(live);
    REQUIRE(good.steps_done == 4);

    faults->throw_in_cloud = true;
    run_frames(live, 1);
    const Results failed = snapshot(live);
    CHECK_FALSE(failed.playing);
    CHECK(failed.cloud_step == good.cloud_step);  // the last cloud stays
    CHECK(failed.cloud.x == good.cloud.x);
    CHECK(has_message(live.take_messages(), Level::kError, "injected cloud failure"));
    // No retry on every frame: nothing happens until the next command.
    run_frames(live, 3);
    CHECK(snapshot(live).version == failed.version);

    faults->throw_in_cloud = false;
    live.step_once();
    live.wait_idle();
    const Results recovered = snapshot(live);
    CHECK(recovered.cloud_step == recovered.steps_done);
    CHECK(recovered.steps_done == failed.steps_done + 1);
}
