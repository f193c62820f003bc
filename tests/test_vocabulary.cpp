// Vocabulary mode: the compact "vocabulary" form of a session file expands to exactly the actions
// it describes, is written back compactly only while the actions still match it, and is read as
// strictly as every other key; at that scale the live results name the top few actions and sum
// the rest; and the vocab-50k preset runs headless.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "core/vocabulary.hpp"
#include "io/settings_file.hpp"
#include "live/policy_top.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string file_with(const std::string& vocabulary, const std::string& extra = "") {
    return R"({"version": 2, "vocabulary": )" + vocabulary + extra +
           R"(, "K": 8, "runs": 4, "steps": 20, "M": 64})";
}

const std::string kSmall =
    R"({"N": 1000, "zipf_s": 1.1, "good_every": 7, "good_reward": 1, "other_reward": -0.5})";

rl::core::Settings read_ok(const std::string& text) {
    const rl::io::SettingsResult r = rl::io::settings_from_json_text(text, "t.json");
    INFO(r.error);
    REQUIRE(r);
    return *r.settings;
}

std::string read_error(const std::string& text) {
    const rl::io::SettingsResult r = rl::io::settings_from_json_text(text, "t.json");
    CHECK_FALSE(r);
    return r.error;
}

}  // namespace

TEST_CASE("vocabulary: the compact form expands to exactly its actions") {
    const rl::core::Settings s = read_ok(file_with(kSmall));
    REQUIRE(s.actions.size() == 1000);
    REQUIRE(s.init_logits.size() == 1000);
    CHECK(s.actions[0].name == "tok00000");
    CHECK(s.actions[42].name == "tok00042");
    CHECK(s.actions[999].name == "tok00999");
    int good = 0;
    for (std::size_t a = 0; a < 1000; ++a) {
        CHECK(s.actions[a].reward.kind == rl::core::RewardKind::kFixed);
        // Rank a is good when a + 1 is a multiple of 7: ranks 6, 13, ...
        const bool is_good = (a + 1) % 7 == 0;
        CHECK(s.actions[a].reward.value == (is_good ? 1.0 : -0.5));
        good += is_good ? 1 : 0;
        CHECK(s.init_logits[a] == -1.1 * std::log(static_cast<double>(a + 1)));
    }
    CHECK(good == 142);
    CHECK(s.reference_logits.empty());
    // Token names grow past five digits instead of wrapping.
    CHECK(rl::core::vocabulary_token_name(123456) == "tok123456");
}

TEST_CASE("vocabulary: pinned logits are shifted so the last is 0, the policy unchanged") {
    const rl::core::Settings s = read_ok(file_with(kSmall, R"(, "parameterization": "pinned")"));
    CHECK(s.init_logits.back() == 0.0);
    CHECK(s.init_logits[0] == doctest::Approx(1.1 * std::log(1000.0)));
}

TEST_CASE("vocabulary: written back compactly while the actions match, else in full") {
    const rl::core::Settings s = read_ok(file_with(kSmall));
    const std::string text = rl::io::settings_to_json_text(s);
    CHECK(text.find("\"vocabulary\"") != std::string::npos);
    CHECK(text.find("\"actions\"") == std::string::npos);
    CHECK(text.size() < 2000);
    const rl::core::Settings back = read_ok(text);
    CHECK(rl::io::settings_to_json_text(back) == text);
    CHECK(back.actions.size() == 1000);

    // An edited action no longer fits the rule: every action is written, and the edit survives.
    rl::core::Settings edited = s;
    REQUIRE(rl::core::set_field(edited, "action.tok00003.value", "5").empty());
    const std::string full = rl::io::settings_to_json_text(edited);
    CHECK(full.find("\"vocabulary\"") == std::string::npos);
    CHECK(full.find("\"actions\"") != std::string::npos);
    const rl::core::Settings full_back = read_ok(full);
    CHECK(full_back.actions[3].reward.value == 5.0);
    CHECK(full_back.actions[4].reward.value == -0.5);
}

TEST_CASE("vocabulary: bad fields are refused naming the field") {
    CHECK(read_error(file_with(R"({"N": 1, "zipf_s": 1, "good_every": 1, "good_reward": 1,
        "other_reward": 0})")) ==
          "t.json: vocabulary.N: must be a whole number between 2 and 262144");
    CHECK(read_error(file_with(R"({"N": 262145, "zipf_s": 1, "good_every": 1, "good_reward": 1,
        "other_reward": 0})")) ==
          "t.json: vocabulary.N: must be a whole number between 2 and 262144");
    CHECK(read_error(file_with(R"({"N": 10, "zipf_s": -0.5, "good_every": 1, "good_reward": 1,
        "other_reward": 0})")) == "t.json: vocabulary.zipf_s: must be between 0 and 100");
    CHECK(read_error(file_with(R"({"N": 10, "zipf_s": 1, "good_every": 11, "good_reward": 1,
        "other_reward": 0})")) ==
          "t.json: vocabulary.good_every: must be a whole number between 1 and 10");
    CHECK(read_error(file_with(R"({"N": 10, "zipf_s": "1", "good_every": 1, "good_reward": 1,
        "other_reward": 0})")) == "t.json: vocabulary.zipf_s: must be a number, got a string");
    CHECK(read_error(file_with(R"({"N": 10, "zipf_s": 1, "good_every": 1, "good_reward": 1,
        "other_reward": 0, "colour": 3})")) ==
          "t.json: vocabulary.colour: unknown key (expected N, zipf_s, good_every, good_reward "
          "and other_reward)");
    CHECK(read_error(file_with(R"({"N": 10, "zipf_s": 1, "good_reward": 1, "other_reward": 0})")) ==
          "t.json: vocabulary.good_every: missing");
    CHECK(read_error(file_with(kSmall, R"(, "actions": [])")) ==
          "t.json: vocabulary: give either vocabulary or actions, not both");
    CHECK(read_error(file_with("[1000]")) == "t.json: vocabulary: must be an object, got a list");
}

TEST_CASE("vocabulary: top_indices picks the largest values, largest first") {
    const std::vector<double> v = {0.1, 0.5, 0.2, 0.5, 0.05};
    CHECK(rl::live::top_indices(v, 3) == std::vector<std::size_t>{1, 3, 2});
    CHECK(rl::live::top_indices(v, 9).size() == 5);
}

TEST_CASE("vocabulary: live results show the top few actions and the rest, summing to 1") {
    rl::core::Settings s = read_ok(file_with(kSmall));
    REQUIRE(rl::core::set_field(s, "lr", "3").empty());
    rl::live::Runner live(s, rl_test::cpu_options());
    live.wait_idle();
    for (int i = 0; i < 5; ++i) {
        live.step_once();
        rl_test::run_frames(live, 1);
    }
    const rl::live::Results r = rl_test::snapshot(live);
    REQUIRE(r.steps_done == 5);
    REQUIRE(r.policy_top.size() == rl::live::kPolicyTopK);
    // Most likely first, and none of the tracked actions left out is more likely.
    for (std::size_t i = 1; i < r.policy_top.size(); ++i)
        CHECK(r.median_probs[r.policy_top[i - 1]] >= r.median_probs[r.policy_top[i]]);
    double shown = 0.0;
    for (std::size_t t : r.policy_top)
        shown += r.median_probs[t];
    CHECK(r.rest_now > 0.3);  // Zipf over 1000 tokens: the top eight hold under 60%
    CHECK(shown + r.rest_now == doctest::Approx(1.0).epsilon(1e-12));
    REQUIRE(r.rest_p50.size() == r.history.step.size());
    REQUIRE_FALSE(r.history.step.empty());
    for (std::size_t i = 0; i < r.history.step.size(); ++i) {
        double at = r.rest_p50[i];
        for (std::size_t t : r.policy_top)
            at += r.history.prob_p50[t][i];
        CHECK(at == doctest::Approx(1.0).epsilon(1e-12));
    }
}

TEST_CASE("vocabulary: a small problem keeps every action in the plots") {
    rl::core::Settings s = read_ok(file_with(
        R"({"N": 12, "zipf_s": 1, "good_every": 3, "good_reward": 1, "other_reward": 0})"));
    rl::live::Runner live(s, rl_test::cpu_options());
    live.wait_idle();
    rl_test::run_frames(live, 1);
    CHECK(rl_test::snapshot(live).policy_top.empty());
}

TEST_CASE("vocabulary: vocab-50k runs headless and draws its plots") {
    rl_test::TempDir dir;
    const fs::path out = dir.path / "out";
    const rl_test::AppRun r = rl_test::run_app(
        "--headless --preset vocab-50k --set steps=3 --set runs=2 --set M=64 --engine cpu "
        "--threads 2 --svg --out '" +
            out.string() + "'",
        dir, rl_test::kNoDisplay);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("best possible 1") != std::string::npos);
    const std::vector<std::string> summary =
        rl_test::lines_of(rl_test::read_text(out / "summary.csv"));
    CHECK(summary.size() == 4);
    CHECK(summary[0].find("p_tok00000_mean") != std::string::npos);
    for (const char* svg :
         {"policy.svg", "policy-now.svg", "gradient.svg", "reward.svg", "snr.svg"})
        CHECK_MESSAGE(fs::file_size(out / svg) > 1000, svg);
    // The policy plot's legend names the summed rest of the vocabulary.
    CHECK(rl_test::read_text(out / "policy.svg").find(">the rest<") != std::string::npos);
}
