// Compare mode without a window: B is A's session with other estimator settings, a key outside
// the estimator is refused, and two live sessions on one problem and seed agree bit for bit when
// their settings do, and share the problem when only the baseline differs.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "control/paired_ticks.hpp"
#include "core/compare_settings.hpp"
#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "io/cli.hpp"
#include "live/runner.hpp"
#include "support/sessions.hpp"
#include "test_live_support.hpp"

namespace {

using rl::live::Results;
using rl::live::Runner;
using rl_test::run_frames;
using rl_test::snapshot;

// Arm means drawn per run, so "the same problem" covers the seeded draws too.
rl::core::Settings small_settings() {
    rl::core::Settings s = rl_test::yes_no_maybe();
    s.arm_mean_sd = 0.5;
    s.runs = 16;
    s.M = 256;
    s.steps = 1000;
    s.seed = 7;
    return s;
}

// Everything B must share with A: all but the estimator.
void check_same_problem(const rl::core::Settings& a, const rl::core::Settings& b) {
    REQUIRE(a.actions.size() == b.actions.size());
    for (std::size_t i = 0; i < a.actions.size(); ++i) {
        CHECK(a.actions[i].name == b.actions[i].name);
        CHECK(a.actions[i].reward.kind == b.actions[i].reward.kind);
        CHECK(a.actions[i].reward.value == b.actions[i].reward.value);
    }
    CHECK(a.init_logits == b.init_logits);
    CHECK(a.reference_logits == b.reference_logits);
    CHECK(a.parameterization == b.parameterization);
    CHECK(a.arm_mean_sd == b.arm_mean_sd);
    CHECK(a.runs == b.runs);
    CHECK(a.steps == b.steps);
    CHECK(a.M == b.M);
    CHECK(a.seed == b.seed);
}

void play_both(Runner& a, Runner& b, int frames) {
    a.set_playing(true);
    b.set_playing(true);
    for (int i = 0; i < frames; ++i) {
        run_frames(a, 1);
        run_frames(b, 1);
    }
}

// What the command line hands the window: the plan, or the exit code it stops with.
std::variant<rl::io::CommandPlan, int> plan(const std::vector<std::string>& args,
                                            std::string& err) {
    std::vector<const char*> argv = {"reinforce-lab"};
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, errors;
    std::variant<rl::io::CommandPlan, int> planned =
        rl::io::plan_command(static_cast<int>(argv.size()), argv.data(), out, errors);
    err = errors.str();
    return planned;
}

}  // namespace

TEST_CASE("compare: B with A's settings gives bit-identical results on the same seed") {
    const rl::core::Settings a_settings = small_settings();
    const rl::core::CompareSettings b_settings = rl::core::compare_settings(a_settings, {});
    REQUIRE(b_settings.settings);
    Runner a(a_settings, rl_test::cpu_options());
    Runner b(*b_settings.settings, rl_test::cpu_options());
    play_both(a, b, 12);
    const Results ra = snapshot(a), rb = snapshot(b);
    REQUIRE(ra.steps_done == 12);
    CHECK(rb.steps_done == ra.steps_done);
    CHECK(ra.history.j_p50 == rb.history.j_p50);
    CHECK(ra.history.prob_p50 == rb.history.prob_p50);
    CHECK(ra.run0_probs == rb.run0_probs);
    REQUIRE(ra.cloud_valid);
    CHECK(ra.cloud.x == rb.cloud.x);
    CHECK(ra.cloud.y == rb.cloud.y);
    CHECK(ra.cloud.snr == rb.cloud.snr);
}

TEST_CASE("compare: B = A with baseline rloo keeps the problem and changes only the estimator") {
    const rl::core::Settings a_settings = small_settings();
    const std::vector<std::string> sets = {"baseline=rloo", "K=4"};
    const rl::core::CompareSettings made = rl::core::compare_settings(a_settings, sets);
    REQUIRE(made.settings);
    const rl::core::Settings& b_settings = *made.settings;
    check_same_problem(a_settings, b_settings);
    CHECK(b_settings.estimator.baseline == rl::core::BaselineKind::kRloo);
    CHECK(b_settings.estimator.K == 4);
    CHECK(b_settings.estimator.lr == a_settings.estimator.lr);

    // The same rewards for every run, arm-mean draws included, and the same best J.
    const rl::core::Experiment ea = rl::core::make_experiment(a_settings),
                               eb = rl::core::make_experiment(b_settings);
    for (std::uint32_t run = 0; run < 3; ++run) {
        CHECK(rl::core::make_run_problem(ea, run).rbar == rl::core::make_run_problem(eb, run).rbar);
        CHECK(rl::core::make_run_problem(ea, run).best == rl::core::make_run_problem(eb, run).best);
    }
    CHECK(rl::core::best_expected_reward(ea) == rl::core::best_expected_reward(eb));

    Runner a(a_settings, rl_test::cpu_options());
    Runner b(b_settings, rl_test::cpu_options());
    play_both(a, b, 5);
    const Results ra = snapshot(a), rb = snapshot(b);
    CHECK(ra.best_J == rb.best_J);
    // Step 0 starts from one policy: the same probabilities and the same J across runs.
    REQUIRE(!ra.history.step.empty());
    REQUIRE(!rb.history.step.empty());
    CHECK(ra.history.step.front() == rb.history.step.front());
    CHECK(ra.history.j_p50.front() == rb.history.j_p50.front());
    for (std::size_t t = 0; t < ra.history.prob_p50.size(); ++t)
        CHECK(ra.history.prob_p50[t].front() == rb.history.prob_p50[t].front());
    // ...and then the estimators take them apart.
    CHECK(ra.history.j_p50.back() != rb.history.j_p50.back());
}

TEST_CASE("compare: paired ticks keep A and B at the same step without waiting for them") {
    // B's cloud is 64 times larger, so B is often still busy when a frame comes, as a heavier
    // configuration would be in the window.
    const rl::core::Settings a_settings = small_settings();
    rl::core::Settings b_settings = a_settings;
    b_settings.M = a_settings.M * 64;
    Runner a(a_settings, rl_test::cpu_options());
    Runner b(b_settings, rl_test::cpu_options());
    a.set_pace(2, 1.0);
    b.set_pace(2, 1.0);
    a.set_playing(true);
    b.set_playing(true);
    for (int frame = 0; frame < 120; ++frame) {
        rl::control::tick_pair(a, &b, false);
        std::this_thread::sleep_for(std::chrono::microseconds(500 * (frame % 5)));
    }
    a.wait_idle();
    b.wait_idle();
    const int steps = snapshot(a).steps_done;
    CHECK(steps > 0);
    CHECK(snapshot(b).steps_done == steps);

    // Scripted: every frame ticks both.
    rl::control::tick_pair(a, &b, true);
    CHECK(snapshot(a).steps_done == steps + 2);
    CHECK(snapshot(b).steps_done == steps + 2);
}

TEST_CASE("compare: keys outside the estimator are refused") {
    const rl::core::Settings a = small_settings();
    for (const char* bad : {"runs=5", "seed=3", "M=64", "steps=9", "action.0.value=1",
                            "init_probs=0.2,0.3,0.5", "parameterization=pinned"}) {
        INFO(bad);
        const std::vector<std::string> sets = {"lr=0.5", bad};
        const rl::core::CompareSettings b = rl::core::compare_settings(a, sets);
        CHECK_FALSE(b.settings);
        CHECK(b.error.rfind(bad, 0) == 0);
        CHECK(b.error.find("estimator") != std::string::npos);
    }
    const std::vector<std::string> bad_value = {"lr=fast"};
    CHECK(rl::core::compare_settings(a, bad_value).error.find("lr=fast: lr") == 0);
    const std::vector<std::string> no_value = {"lr"};
    CHECK(rl::core::compare_settings(a, no_value).error == "lr: expected KEY=VALUE");
}

TEST_CASE("compare: leave-one-out takes K 2 from a one-sample A unless K is given") {
    rl::core::Settings a = small_settings();
    a.estimator.K = 1;
    const std::vector<std::string> rloo = {"baseline=rloo"};
    const rl::core::CompareSettings b = rl::core::compare_settings(a, rloo);
    REQUIRE(b.settings);
    CHECK(b.settings->estimator.K == 2);
    CHECK(b.note.find("K = 2") != std::string::npos);

    const std::vector<std::string> rloo_k1 = {"baseline=rloo", "K=1"};
    CHECK_FALSE(rl::core::compare_settings(a, rloo_k1).settings);

    CHECK(rl::core::default_compare_estimator(a.estimator).baseline ==
          rl::core::BaselineKind::kRloo);
    CHECK(rl::core::default_compare_estimator(a.estimator).K == 2);
    a.estimator.baseline = rl::core::BaselineKind::kRloo;
    a.estimator.K = 4;
    CHECK(rl::core::default_compare_estimator(a.estimator).baseline ==
          rl::core::BaselineKind::kNone);
    CHECK(rl::core::default_compare_estimator(a.estimator).K == 4);
}

TEST_CASE("compare: every session key is either an estimator key or shared") {
    // A key added to the session table must be sorted into one of these, or compare mode would
    // refuse an estimator setting or let B change the problem.
    const std::set<std::string> shared = {"parameterization",
                                          "runs",
                                          "steps",
                                          "M",
                                          "seed",
                                          "arm_mean_sd",
                                          "title",
                                          "description",
                                          "init_logits",
                                          "init_probs",
                                          "reference_logits",
                                          "reference_probs",
                                          "problem",
                                          "length",
                                          "policy_form",
                                          "discount",
                                          "outcome",
                                          "outcome_count",
                                          "outcome_reward",
                                          "outcome_else"};
    std::vector<std::string> estimator_keys;
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        if (!f.settable) continue;
        const std::string key(f.key);
        INFO(key);
        CHECK(rl::core::is_estimator_field(key) != (shared.count(key) == 1));
        if (f.estimator) estimator_keys.push_back(key);
    }
    // Each estimator key changes the estimator and nothing else.
    const std::map<std::string, std::string> samples = {{"K", "3"},
                                                        {"lr", "0.2"},
                                                        {"baseline", "constant"},
                                                        {"baseline_b", "1.5"},
                                                        {"running_mode", "average"},
                                                        {"running_decay", "0.5"},
                                                        {"kl_beta", "0.1"},
                                                        {"kl_mode", "reward"},
                                                        {"entropy", "0.01"},
                                                        {"clip", "2"},
                                                        {"credit", "reward_to_go"},
                                                        {"critic_lr", "0.5"}};
    REQUIRE(samples.size() == estimator_keys.size());
    rl::core::Settings a = small_settings();
    // The episode estimator keys, on an episode (a bandit refuses them: nothing would read them).
    rl::core::Settings episode = a;
    episode.arm_mean_sd = 0.0;  // per-run arm means are a bandit's
    REQUIRE(rl::core::set_field(episode, "problem", "tokens").empty());
    for (const std::string& key : estimator_keys) {
        INFO(key);
        const bool episodes_only = rl::core::find_field(key)->episodes_only;
        const rl::core::Settings& base = episodes_only ? episode : a;
        rl::core::Settings b = base;
        REQUIRE(rl::core::set_field(b, key, samples.at(key)).empty());
        check_same_problem(base, b);
        if (episodes_only) CHECK_FALSE(rl::core::set_field(a, key, samples.at(key)).empty());
    }
}

TEST_CASE("compare: legend names give the baseline and what else differs") {
    rl::core::EstimatorSettings a, b;
    b.baseline = rl::core::BaselineKind::kRloo;
    b.K = 2;
    CHECK(rl::core::compare_label(a, b) == "none, K 1");
    CHECK(rl::core::compare_label(b, a) == "rloo, K 2");
    b.K = 1;
    CHECK(rl::core::compare_label(b, a) == "rloo");
    b.baseline = rl::core::BaselineKind::kNone;
    b.lr = 0.5;
    CHECK(rl::core::compare_label(b, a) == "none, lr 0.5");
    // An episode problem's B that weights tokens otherwise says so.
    b.lr = a.lr;
    b.credit = rl::core::Credit::kRewardToGo;
    CHECK(rl::core::compare_label(b, a) == "none, rewards-to-go");
    CHECK(rl::core::compare_label(a, b) == "none, full return");
    b.baseline = rl::core::BaselineKind::kLearnedValue;
    b.critic_lr = 0.5;
    CHECK(rl::core::compare_label(b, a) == "learned_value, rewards-to-go, critic lr 0.5");
}

TEST_CASE("cli: --compare reaches the window, and a shared key is a usage error") {
    std::string err;
    const std::variant<rl::io::CommandPlan, int> good =
        plan({"--compare", "lr=0.5", "--compare", "baseline=rloo"}, err);
    REQUIRE(std::holds_alternative<rl::io::CommandPlan>(good));
    const rl::io::CommandPlan& p = std::get<rl::io::CommandPlan>(good);
    CHECK(p.mode == rl::io::CommandPlan::Mode::kWindow);
    CHECK(p.window.compare_sets == std::vector<std::string>{"lr=0.5", "baseline=rloo"});

    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--compare", "runs=5"},
          std::vector<std::string>{"--compare", "lr=fast"},
          std::vector<std::string>{"--compare", "baseline=rloo", "--compare", "K=1"},
          std::vector<std::string>{"--headless", "--out", "unused", "--compare", "lr=0.5"}}) {
        INFO(args.back());
        const std::variant<rl::io::CommandPlan, int> refused = plan(args, err);
        REQUIRE(std::holds_alternative<int>(refused));
        CHECK(std::get<int>(refused) == 2);
        CHECK(std::count(err.begin(), err.end(), '\n') == 1);
        CHECK(err.rfind("reinforce-lab: --compare", 0) == 0);
    }
    plan({"--compare", "runs=5"}, err);
    CHECK(err.find("runs") != std::string::npos);
}

TEST_CASE("cli: --help lists --compare") {
    std::vector<const char*> argv = {"reinforce-lab", "--help"};
    std::ostringstream out, errors;
    const std::variant<rl::io::CommandPlan, int> planned =
        rl::io::plan_command(2, argv.data(), out, errors);
    REQUIRE(std::holds_alternative<int>(planned));
    CHECK(std::get<int>(planned) == 0);
    CHECK(out.str().find("--compare") != std::string::npos);
}

TEST_CASE("compare: an episode problem's B with rewards-to-go samples A's sequences") {
    const rl::core::Settings a_settings = rl_test::small_episode_preset("token-chain");
    const std::vector<std::string> sets = {"credit=reward_to_go"};
    const rl::core::CompareSettings made = rl::core::compare_settings(a_settings, sets);
    REQUIRE(made.settings);
    CHECK(made.settings->estimator.credit == rl::core::Credit::kRewardToGo);
    Runner a(a_settings, rl_test::cpu_options());
    Runner b(*made.settings, rl_test::cpu_options());
    rl_test::take_steps(a, 1);
    rl_test::take_steps(b, 1);
    const Results ra = snapshot(a), rb = snapshot(b);
    // The same seed and the same starting policy: step 1 draws the same sequences for both, and
    // each weighs them as its credit says, which the other's record shows too.
    const rl::core::EpisodeStepRecord& da = ra.episodes.detail;
    const rl::core::EpisodeStepRecord& db = rb.episodes.detail;
    REQUIRE(da.batch.size() == db.batch.size());
    for (std::size_t k = 0; k < da.batch.size(); ++k) {
        REQUIRE(da.batch[k].steps.size() == db.batch[k].steps.size());
        for (std::size_t t = 0; t < da.batch[k].steps.size(); ++t) {
            CHECK(da.batch[k].steps[t].action == db.batch[k].steps[t].action);
            CHECK(da.weights[k][t].advantage == db.full_return[k][t].advantage);
            CHECK(db.weights[k][t].advantage == da.reward_to_go[k][t].advantage);
        }
    }
    // ...and then the credits take the runs apart.
    rl_test::take_steps(a, 10);
    rl_test::take_steps(b, 10);
    CHECK(snapshot(a).history.j_p50.back() != snapshot(b).history.j_p50.back());
}
