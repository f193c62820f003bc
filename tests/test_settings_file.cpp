// Session files: the round trip keeps every field (logits bit for bit), and every kind of bad
// file is refused with a message naming the field while the caller's session stays as it was.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "io/settings_file.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using rl_test::TempDir;

// A session where every field differs from its default, so a field the writer forgets shows.
rl::core::Settings unusual_settings() {
    rl::core::Settings s;
    s.preset = "custom";
    s.title = "A \"quoted\" title, with commas";
    s.description = "Line one.\nLine two: caf\xc3\xa9.";
    s.parameterization = rl::core::Parameterization::kFree;
    rl::core::ActionSpec fixed{"fixed one", {}};
    fixed.reward.kind = rl::core::RewardKind::kFixed;
    fixed.reward.value = -2.5;
    rl::core::ActionSpec gaussian{"gauss", {}};
    gaussian.reward.kind = rl::core::RewardKind::kGaussian;
    gaussian.reward.mean = 1.0 / 3.0;
    gaussian.reward.sd = 0.7;
    rl::core::ActionSpec bernoulli{"coin", {}};
    bernoulli.reward.kind = rl::core::RewardKind::kBernoulli;
    bernoulli.reward.p = 0.35;
    bernoulli.reward.lo = -1.0;
    bernoulli.reward.hi = 2.0;
    s.actions = {fixed, gaussian, bernoulli};
    // Values with no short decimal form, so any precision loss changes a bit.
    s.init_logits = {0.1 + 0.2, -1.0 / 7.0, 3.0e-17};
    s.reference_logits = {std::log(2.0), -std::sqrt(3.0), 0.0};
    s.arm_mean_sd = 0.25;
    s.estimator.K = 16;
    s.estimator.baseline = rl::core::BaselineKind::kRunning;
    s.estimator.constant_b = 1.0 / 9.0;
    s.estimator.running_mode = rl::core::RunningMode::kAverage;
    s.estimator.running_decay = 0.95;
    s.estimator.kl_beta = 0.125;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    s.estimator.entropy = 0.01;
    s.estimator.clip = 5.5;
    s.estimator.lr = 0.3;
    s.runs = 17;
    s.steps = 123;
    s.M = 999;
    s.seed = 18446744073709551615ull;
    REQUIRE(rl::core::validate(s).empty());
    return s;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
               return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
           });
}

void check_same(const rl::core::Settings& a, const rl::core::Settings& b) {
    CHECK(a.preset == b.preset);
    CHECK(a.title == b.title);
    CHECK(a.description == b.description);
    CHECK(a.parameterization == b.parameterization);
    REQUIRE(a.actions.size() == b.actions.size());
    for (std::size_t i = 0; i < a.actions.size(); ++i) {
        const rl::core::RewardModel &x = a.actions[i].reward, &y = b.actions[i].reward;
        CHECK(a.actions[i].name == b.actions[i].name);
        CHECK(x.kind == y.kind);
        CHECK(x.expected() == y.expected());
        CHECK(x.variance() == y.variance());
    }
    CHECK(same_bits(a.init_logits, b.init_logits));
    CHECK(same_bits(a.reference_logits, b.reference_logits));
    CHECK(a.arm_mean_sd == b.arm_mean_sd);
    CHECK(a.estimator.K == b.estimator.K);
    CHECK(a.estimator.baseline == b.estimator.baseline);
    CHECK(a.estimator.constant_b == b.estimator.constant_b);
    CHECK(a.estimator.running_mode == b.estimator.running_mode);
    CHECK(a.estimator.running_decay == b.estimator.running_decay);
    CHECK(a.estimator.kl_beta == b.estimator.kl_beta);
    CHECK(a.estimator.kl_mode == b.estimator.kl_mode);
    CHECK(a.estimator.entropy == b.estimator.entropy);
    CHECK(a.estimator.clip == b.estimator.clip);
    CHECK(a.estimator.lr == b.estimator.lr);
    CHECK(a.runs == b.runs);
    CHECK(a.steps == b.steps);
    CHECK(a.M == b.M);
    CHECK(a.seed == b.seed);
}

// A small valid file; cases below break one thing at a time.
std::string valid_text(const std::string& extra = "") {
    return R"({"version": 1, "actions": [
        {"name": "a", "reward": "fixed", "value": 1, "prob": 0.25},
        {"name": "b", "reward": "fixed", "value": 2, "prob": 0.75}])" +
           extra + "}";
}

rl::io::SettingsResult parse(const std::string& text) {
    return rl::io::settings_from_json_text(text, "test.json");
}

}  // namespace

TEST_CASE("session json: a written session reads back identical, logits bit for bit") {
    const rl::core::Settings original = unusual_settings();
    const rl::io::SettingsResult back = parse(rl::io::settings_to_json_text(original));
    REQUIRE_MESSAGE(back, back.error);
    check_same(original, *back.settings);
    CHECK(back.settings->actions[2].reward.p == 0.35);
    CHECK(back.settings->actions[2].reward.lo == -1.0);
    CHECK(back.settings->actions[1].reward.sd == 0.7);
}

TEST_CASE("session json: a pinned session round-trips through a file") {
    TempDir dir;
    rl::core::Settings original = unusual_settings();
    REQUIRE(rl::core::set_field(original, "parameterization", "pinned").empty());
    REQUIRE(original.init_logits.back() == 0.0);
    const fs::path file = dir.path / "s.json";
    REQUIRE(rl::io::write_settings_file(file, original).empty());
    const rl::io::SettingsResult back = rl::io::read_settings_file(file);
    REQUIRE_MESSAGE(back, back.error);
    check_same(original, *back.settings);
    // Atomic write leaves no temporary behind.
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
}

TEST_CASE("session json: every setting --set knows is written to the file") {
    const std::string text = rl::io::settings_to_json_text(unusual_settings());
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        // The initial policy is written per action ("logit"); reference_probs is written as logits.
        const std::string key(f.key);
        if (!f.settable || key == "init_logits" || key == "init_probs" || key == "reference_probs")
            continue;
        // A bandit's file leaves out the episode fields (tests/test_episode_settings.cpp).
        if (f.episodes_only) continue;
        CHECK_MESSAGE(text.find("\"" + key + "\"") != std::string::npos, key);
    }
    CHECK(text.find("\"logit\"") != std::string::npos);
}

TEST_CASE("session json: reading applies probabilities, defaults and exact numbers") {
    SUBCASE("probabilities become logits with the same softmax") {
        const rl::io::SettingsResult r = parse(valid_text());
        REQUIRE_MESSAGE(r, r.error);
        const std::vector<double> p = rl::core::softmax(r.settings->init_logits);
        CHECK(p[0] == doctest::Approx(0.25).epsilon(1e-14));
        CHECK(p[1] == doctest::Approx(0.75).epsilon(1e-14));
    }
    SUBCASE("no prob or logit anywhere is the uniform policy") {
        const rl::io::SettingsResult r = parse(R"({"version": 1, "actions": [
            {"name": "a", "reward": "gaussian", "mean": 1, "sd": 2},
            {"name": "b", "reward": "bernoulli", "p": 0.5, "lo": 0, "hi": 1},
            {"name": "c", "reward": "fixed", "value": 0}]})");
        REQUIRE_MESSAGE(r, r.error);
        CHECK(r.settings->init_logits == std::vector<double>{0.0, 0.0, 0.0});
        CHECK(r.settings->actions[0].reward.sd == 2.0);
    }
    SUBCASE("numbers reach set_field unrounded; K may come after baseline") {
        const rl::io::SettingsResult r = parse(valid_text(
            R"(, "baseline": "rloo", "K": 8, "lr": 0.1, "seed": 18446744073709551615,
               "kl_mode": "reward", "reference_probs": [0.5, 0.5])"));
        REQUIRE_MESSAGE(r, r.error);
        CHECK(r.settings->estimator.lr == 0.1);
        CHECK(r.settings->estimator.K == 8);
        CHECK(r.settings->estimator.baseline == rl::core::BaselineKind::kRloo);
        CHECK(r.settings->seed == 18446744073709551615ull);
        CHECK(r.settings->reference_logits[0] == r.settings->reference_logits[1]);
    }
}

TEST_CASE("session json: bad files are refused naming the field, the session untouched") {
    struct Case {
        const char* what;
        std::string text;
        std::string field;  // must appear in the message
    };
    const Case cases[] = {
        {"invalid JSON", R"({"version": 1, "actions": [)", "invalid JSON"},
        {"not an object", "[1, 2]", "session"},
        {"unknown key", valid_text(R"(, "colour": "blue")"), "colour: unknown key"},
        {"unknown action key", R"({"version": 1, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "colour": 2},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[0].colour: unknown key"},
        {"missing version", R"({"actions": []})", "version: missing"},
        {"future version", R"({"version": 4, "actions": []})", "version: unsupported"},
        {"missing actions", R"({"version": 1, "K": 2})", "actions: missing"},
        {"one action", R"({"version": 1, "actions": [
            {"name": "a", "reward": "fixed", "value": 1}]})",
         "actions: need at least 2"},
        {"actions not a list", R"({"version": 1, "actions": {"a": 1}})", "actions: must be a list"},
        {"K as text", valid_text(R"(, "K": "eight")"), "K: must be a number"},
        {"K fractional", valid_text(R"(, "K": 2.5)"), "K: must be a whole number"},
        {"K zero", valid_text(R"(, "K": 0)"), "K: must be a whole number between 1 and 65536"},
        {"K too large", valid_text(R"(, "K": 70000)"), "K: must be a whole number"},
        {"lr as boolean", valid_text(R"(, "lr": true)"), "lr: must be a number, got true/false"},
        {"baseline as number", valid_text(R"(, "baseline": 3)"), "baseline: must be a string"},
        {"unknown baseline", valid_text(R"(, "baseline": "magic")"), "baseline: must be one of"},
        {"rloo with K 1", valid_text(R"(, "baseline": "rloo")"), "baseline: rloo"},
        {"runs negative", valid_text(R"(, "runs": -4)"), "runs: must be a whole number"},
        {"negative prob", R"({"version": 1, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "prob": -0.5},
            {"name": "b", "reward": "fixed", "value": 2, "prob": 1.5}]})",
         "actions[0].prob: must be positive"},
        {"probs not summing to 1", R"({"version": 1, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "prob": 0.5},
            {"name": "b", "reward": "fixed", "value": 2, "prob": 0.6}]})",
         "prob: must sum to 1"},
        {"prob for some actions only", R"({"version": 1, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "prob": 0.5},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[1].prob: missing"},
        {"pinned last logit", R"({"version": 1, "parameterization": "pinned", "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "logit": 0.5},
            {"name": "b", "reward": "fixed", "value": 2, "logit": 0.5}]})",
         "actions[1].logit: the last logit is pinned"},
        {"unknown reward kind", R"({"version": 1, "actions": [
            {"name": "a", "reward": "poisson", "value": 1},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[0].reward: must be one of"},
        {"missing reward field", R"({"version": 1, "actions": [
            {"name": "a", "reward": "gaussian", "mean": 1},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[0].sd: missing"},
        {"another kind's field", R"({"version": 1, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "p": 0.5},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[0].p: not used by a fixed reward"},
        {"bernoulli p out of range", R"({"version": 1, "actions": [
            {"name": "a", "reward": "bernoulli", "p": 1.5, "lo": 0, "hi": 1},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         ".p: must be between 0 and 1"},
        {"name not text", R"({"version": 1, "actions": [
            {"name": 5, "reward": "fixed", "value": 1},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[0].name: must be a string"},
        {"reference of wrong length", valid_text(R"(, "reference_logits": [0, 1, 2])"),
         "reference_logits: needs 2 values"},
        {"reference entry as text", valid_text(R"(, "reference_probs": [0.5, "half"])"),
         "reference_probs[1]: must be a number"},
    };

    TempDir dir;
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const rl::io::SettingsResult r = parse(c.text);
        CHECK_FALSE(r);
        CHECK_MESSAGE(r.error.rfind("test.json: ", 0) == 0, r.error);
        CHECK_MESSAGE(r.error.find(c.field) != std::string::npos, r.error);
        CHECK(r.error.find('\n') == std::string::npos);

        const fs::path file = dir.path / "bad.json";
        std::ofstream(file) << c.text;
        rl::core::Settings target = unusual_settings();
        const std::string error = rl::io::load_settings_file(file, target);
        CHECK(error.find(file.string()) == 0);
        CHECK(error.find(c.field) != std::string::npos);
        check_same(target, unusual_settings());
    }
}

TEST_CASE("session json: a missing file names its path") {
    rl::core::Settings target = unusual_settings();
    const std::string error = rl::io::load_settings_file("/nonexistent/dir/s.json", target);
    CHECK(error.find("/nonexistent/dir/s.json: cannot read") == 0);
    check_same(target, unusual_settings());
}

TEST_CASE("session json: writing to an unwritable place fails with a message") {
    const std::string error =
        rl::io::write_settings_file("/nonexistent/dir/s.json", unusual_settings());
    CHECK(error.find("/nonexistent/dir/s.json") == 0);
    CHECK(error.find("No such file") != std::string::npos);
}
