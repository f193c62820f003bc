// Saving and loading a live run: the settings timeline is recorded as edits happen, a saved
// document replays into a fresh session bit for bit, and only because the history is kept.

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "io/session_file.hpp"
#include "live/runner.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "support/time_scale.hpp"
#include "test_live_support.hpp"

namespace {

using rl::live::Level;
using rl::live::Results;
using rl::live::Runner;
using rl_test::edit;
using rl_test::has_message;
using rl_test::snapshot;
using rl_test::take_steps;

// yes/no/maybe with one noisy reward, small enough that a step costs microseconds.
rl::core::Settings small_settings() {
    rl::core::Settings s = rl_test::yes_no_maybe();
    REQUIRE(rl::core::set_field(s, "action.no.reward", "gaussian").empty());
    REQUIRE(rl::core::set_field(s, "action.no.mean", "3").empty());
    REQUIRE(rl::core::set_field(s, "action.no.sd", "2").empty());
    s.runs = 16;
    s.M = 256;
    s.steps = 100000;
    return s;
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](T x, T y) {
               return std::bit_cast<std::uint64_t>(static_cast<double>(x)) ==
                      std::bit_cast<std::uint64_t>(static_cast<double>(y));
           });
}

bool same_runs(const Results& a, const Results& b) {
    return a.steps_done == b.steps_done && same_bits(a.run0_probs, b.run0_probs) &&
           same_bits(a.history.step, b.history.step) &&
           same_bits(a.history.j_p50, b.history.j_p50) &&
           same_bits(a.history.j_p10, b.history.j_p10) &&
           same_bits(a.history.best_share, b.history.best_share) &&
           a.history.prob_p50.size() == b.history.prob_p50.size() &&
           std::equal(a.history.prob_p50.begin(), a.history.prob_p50.end(),
                      b.history.prob_p50.begin(), same_bits<double>) &&
           a.cloud_step == b.cloud_step && same_bits(a.cloud.x, b.cloud.x) &&
           same_bits(a.cloud.y, b.cloud.y) && same_bits(a.cloud.mean, b.cloud.mean);
}

// A run with a learning-rate edit at step 10 and a K edit at step 20, paused at step 37.
void run_with_edits(Runner& live) {
    take_steps(live, 10);
    edit(live, "lr", "0.3");
    take_steps(live, 10);
    edit(live, "K", "4");
    take_steps(live, 17);
}

}  // namespace

TEST_CASE("Live replay: the timeline records edits that keep the runs with one entry per step") {
    Runner live(small_settings(), rl_test::cpu_options());
    edit(live, "lr", "0.2");  // before any step: it replaces the first entry
    CHECK(live.timeline().size() == 1);
    run_with_edits(live);
    edit(live, "title", "renamed");  // at step 37 ...
    edit(live, "K", "8");            // ... and again at step 37: only the last one counts
    const std::vector<rl::io::SettingsChange> timeline = live.timeline();
    REQUIRE(timeline.size() == 4);
    CHECK(timeline[0].step == 0);
    CHECK(timeline[0].settings.estimator.lr == 0.2);
    CHECK(timeline[1].step == 10);
    CHECK(timeline[1].settings.estimator.lr == 0.3);
    CHECK(timeline[2].step == 20);
    CHECK(timeline[2].settings.estimator.K == 4);
    CHECK(timeline[3].step == 37);
    CHECK(timeline[3].settings.estimator.K == 8);
    CHECK(timeline[3].settings.title == "renamed");
}

TEST_CASE("Live replay: a saved run reloads bit for bit and only with its history") {
    rl_test::TempDir dir;
    Runner original(small_settings(), rl_test::cpu_options());
    run_with_edits(original);
    const rl::io::SessionFile saved = original.snapshot();
    CHECK(saved.step == 37);
    REQUIRE(saved.history.size() == 2);
    CHECK(saved.history[1].step == 10);
    CHECK(saved.settings_step == 20);
    CHECK(saved.settings.estimator.K == 4);

    // Through a file, so the format is what carries the run.
    const std::filesystem::path file = dir.path / "run.json";
    REQUIRE(rl::io::write_session_file(file, saved).empty());
    const rl::io::SessionFileResult read = rl::io::read_session_file(file);
    REQUIRE_MESSAGE(read, read.error);

    rl::core::Settings other = rl_test::yes_no_maybe();
    other.seed = 99;
    Runner loaded(other, rl_test::cpu_options());
    take_steps(loaded, 5);
    loaded.take_messages();
    REQUIRE(loaded.load(*read.document, "run.json").empty());
    loaded.wait_idle();
    const Results want = snapshot(original), got = snapshot(loaded);
    CHECK(got.steps_done == 37);
    CHECK_FALSE(got.playing);
    CHECK(same_runs(want, got));
    CHECK(loaded.timeline().size() == 3);
    CHECK(has_message(loaded.take_messages(), Level::kInfo, "Loaded run.json at step 37"));

    // The control: the same final settings from step 0 give another run.
    rl::io::SessionFile without_history = *read.document;
    without_history.history.clear();
    without_history.settings_step = 0;
    Runner flat(other, rl_test::cpu_options());
    REQUIRE(flat.load(without_history, "flat.json").empty());
    flat.wait_idle();
    const Results control = snapshot(flat);
    CHECK(control.steps_done == 37);
    CHECK_FALSE(same_bits(control.run0_probs, want.run0_probs));
    CHECK_FALSE(same_bits(control.history.j_p50, want.history.j_p50));
}

TEST_CASE("Live replay: an edit that restarts the runs clears the history") {
    Runner live(small_settings(), rl_test::cpu_options());
    take_steps(live, 5);
    edit(live, "lr", "0.3");
    take_steps(live, 5);
    REQUIRE(live.timeline().size() == 2);

    rl::core::Settings more = live.settings();
    more.actions.push_back({"extra", rl_test::fixed_reward(1)});
    more.init_logits.push_back(0.0);
    REQUIRE(live.apply(more).empty());
    live.wait_idle();
    const rl::io::SessionFile d = live.snapshot();
    CHECK(d.step == 0);
    CHECK(d.history.empty());
    CHECK(d.settings_step == 0);
    CHECK(d.settings.actions.size() == 4);
}

TEST_CASE("Live replay: a document that cannot be replayed is refused and nothing changes") {
    Runner live(small_settings(), rl_test::cpu_options());
    take_steps(live, 3);
    const Results before = snapshot(live);

    rl::io::SessionFile restarts;
    restarts.settings = small_settings();
    restarts.history = {{0, small_settings()}};
    restarts.history[0].settings.seed = 7;
    restarts.settings_step = 2;
    restarts.step = 4;
    CHECK(live.load(restarts, "x.json") ==
          "x.json: settings: the runs cannot go on under these settings (Seed changed)");

    rl::io::SessionFile inconsistent;
    inconsistent.settings = small_settings();
    inconsistent.step = 4;
    inconsistent.lesson_step = 0;
    CHECK(live.load(inconsistent, "y.json") ==
          "y.json: lesson_step: must be -1 (there is no lesson)");

    live.wait_idle();
    const Results after = snapshot(live);
    CHECK(after.steps_done == 3);
    CHECK(same_runs(before, after));
    CHECK(live.settings().seed == small_settings().seed);
}

TEST_CASE("Live replay: closing the session stops a long replay") {
    rl::core::Settings heavy = small_settings();
    heavy.runs = 4096;
    heavy.estimator.K = 64;
    rl::io::SessionFile d;
    d.settings = heavy;
    d.step = 1000000;  // hours of work: only the stop flag ends it soon
    const auto start = std::chrono::steady_clock::now();
    {
        Runner live(small_settings(), rl_test::cpu_options());
        REQUIRE(live.load(d, "long.json").empty());
        live.frame();  // the worker starts on it; the destructor must not wait for the end
    }
    CHECK(std::chrono::steady_clock::now() - start < rl_test::scaled_seconds(60));
}
