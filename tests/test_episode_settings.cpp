// Episode problems in the settings (docs/SESSION.md, "Episodes"): --set and files build token
// sequences and tables through the same field rows as everything else, refuse what cannot be
// run with the field and the reason, hold the ends of every episode field's range, and make
// the model and policy the exact side and the engine read.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "io/presets.hpp"
#include "io/settings_file.hpp"
#include "support/sessions.hpp"

namespace {

using Changes = std::vector<std::pair<std::string, std::string>>;

rl::core::Settings tokens(const Changes& more = {}) {
    rl::core::Settings s = rl_test::yes_no_maybe();
    Changes changes = {{"problem", "tokens"}, {"length", "5"}};
    changes.insert(changes.end(), more.begin(), more.end());
    REQUIRE(rl::core::set_fields(s, changes) == "");
    return s;
}

std::string refusal(const Changes& changes) {
    rl::core::Settings s = rl_test::yes_no_maybe();
    const rl::core::Settings before = s;
    const std::string error = rl::core::set_fields(s, changes);
    CHECK(rl::io::settings_to_json_text(s) == rl::io::settings_to_json_text(before));
    return error;
}

// Reading `text` with its first `from` replaced by `to` must fail: its one-line error.
std::string error_with(std::string text, const std::string& from, const std::string& to,
                       std::string_view source) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    const rl::io::SettingsResult r = rl::io::settings_from_json_text(text, source);
    CHECK_FALSE(r);
    return r.error;
}

rl::core::Settings preset(const std::string& name) {
    const rl::io::SettingsResult r = rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, name);
    REQUIRE_MESSAGE(r, r.error);
    return *r.settings;
}

}  // namespace

TEST_CASE("episode settings: --set makes a token problem and refuses what cannot run") {
    const rl::core::Settings s = tokens({{"outcome", "contains"}, {"action.yes.marked", "1"}});
    CHECK(s.problem == rl::core::ProblemKind::kTokens);
    CHECK(s.length == 5);
    CHECK(s.actions[0].marked);
    CHECK(refusal({{"problem", "tokens"}, {"outcome", "contains"}}) ==
          "outcome: contains counts the marked tokens, and none is marked (set "
          "action.NAME.marked=1)");
    CHECK(refusal({{"problem", "tokens"},
                   {"length", "5"},
                   {"outcome", "at_least"},
                   {"outcome_count", "6"},
                   {"action.0.marked", "1"}}) ==
          "outcome_count: at_least 6 of 5 tokens can never hold (at most length)");
    CHECK(refusal({{"problem", "table"}}) ==
          "table: missing (problem = table needs its states and moves)");
    CHECK(refusal({{"problem", "tokens"}, {"length", "513"}}) ==
          "length: must be a whole number between 1 and 512");
    CHECK(refusal({{"problem", "tokens"}, {"action.0.marked", "2"}}) ==
          "action.0.marked: must be a whole number between 0 and 1");
    CHECK(refusal({{"credit", "sideways"}}) == "credit: must be one of full_return, reward_to_go");
    CHECK(refusal({{"baseline", "learned_value"}}) ==
          "baseline: learned_value needs an episode (problem = tokens or table)");
    // An episode baseline is fine for an episode.
    CHECK(tokens({{"baseline", "prefix_value"}}).estimator.baseline ==
          rl::core::BaselineKind::kPrefixValue);
}

TEST_CASE("episode settings: the ends of every episode field's range run a training step") {
    const std::vector<Changes> ends = {
        {{"length", "1"}},
        {{"length", "512"},
         {"outcome", "at_least"},
         {"outcome_count", "512"},
         {"action.0.marked", "1"}},
        {{"length", "512"},
         {"outcome", "at_least"},
         {"outcome_count", "1"},
         {"action.0.marked", "1"}},
        {{"discount", "0"}, {"credit", "reward_to_go"}},
        {{"discount", "1"}},
        {{"outcome", "avoids"},
         {"action.2.marked", "1"},
         {"outcome_reward", "1e30"},
         {"outcome_else", "-1e30"}},
        {{"baseline", "learned_value"}, {"critic_lr", "1"}},
        {{"policy_form", "previous_token"}, {"baseline", "rloo"}, {"K", "2"}},
        {{"policy_form", "shared"}, {"baseline", "group_norm"}, {"K", "3"}},
        {{"kl_beta", "1e6"}, {"kl_mode", "reward"}, {"baseline", "prefix_value"}},
        {{"kl_beta", "1e6"}, {"kl_mode", "penalty"}, {"entropy", "1e6"}},
        {{"clip", "1e-300"}, {"credit", "reward_to_go"}},
    };
    for (const Changes& c : ends) {
        CAPTURE(c.front().first);
        CAPTURE(c.front().second);
        const rl::core::Settings s = tokens(c);
        const rl::core::EpisodeProblem p = rl::core::make_episode_problem(s);
        rl::core::EpisodeRunState run = rl::core::start_run(*p.model, p.initial, s.estimator);
        CHECK(rl::core::episode_train_step(*p.model, p.reference_log_probs, run, s.estimator,
                                           {1, rl::core::Purpose::kEpisodeTrain, 0, 0, 0}) == "");
        for (const double logit : run.policy.logits)
            CHECK(std::isfinite(logit));
        CHECK(std::isfinite(rl::core::episode_values(*p.model, run.policy).J));
    }
}

TEST_CASE("episode settings: files write an episode's fields and read them back; bandits none") {
    const rl::core::Settings s = tokens({{"policy_form", "previous_token"},
                                         {"discount", "0.75"},
                                         {"outcome", "at_least"},
                                         {"outcome_count", "2"},
                                         {"action.no.marked", "1"},
                                         {"outcome_reward", "3"},
                                         {"outcome_else", "-0.5"},
                                         {"credit", "reward_to_go"},
                                         {"critic_lr", "0.25"},
                                         {"baseline", "learned_value"}});
    const std::string text = rl::io::settings_to_json_text(s);
    const rl::io::SettingsResult back = rl::io::settings_from_json_text(text, "t.json");
    REQUIRE_MESSAGE(back, back.error);
    CHECK(rl::io::settings_to_json_text(*back.settings) == text);
    CHECK(back.settings->policy_form == rl::core::TokenPolicyForm::kPreviousToken);
    CHECK(back.settings->discount == 0.75);
    CHECK(back.settings->outcome_count == 2);
    CHECK(back.settings->actions[1].marked);
    CHECK_FALSE(back.settings->actions[0].marked);
    CHECK(back.settings->estimator.critic_lr == 0.25);
    const std::string bandit = rl::io::settings_to_json_text(rl_test::yes_no_maybe());
    for (const char* key : {"\"length\"", "\"credit\"", "\"marked\"", "\"critic_lr\"", "\"table\""})
        CHECK(bandit.find(key) == std::string::npos);
}

TEST_CASE("episode settings: the short corridor's table reads, writes back and is refused broken") {
    const rl::core::Settings corridor = preset("short-corridor");
    REQUIRE(corridor.table);
    CHECK(corridor.table->states.size() == 4);
    CHECK(corridor.table->transitions.size() == 6);
    const std::string text = rl::io::settings_to_json_text(corridor);
    const rl::io::SettingsResult back = rl::io::settings_from_json_text(text, "c.json");
    REQUIRE_MESSAGE(back, back.error);
    CHECK(rl::io::settings_to_json_text(*back.settings) == text);
    const rl::core::EpisodeProblem p = rl::core::make_episode_problem(corridor);
    CHECK(p.model->blocks() == 1);
    CHECK(p.model->horizon() == 100);
    // The table, broken one way at a time.
    const auto broken = [&](const std::string& from, const std::string& to) {
        return error_with(text, from, to, "c.json");
    };
    CHECK(broken("\"to\": \"goal\"", "\"to\": \"nowhere\"") ==
          "c.json: table.transitions[5].to: no state is named 'nowhere'");
    CHECK(broken("\"prob\": 1.0", "\"prob\": 0.5")
              .find("table.transitions: the moves of action 0 in state 'start' have probabilities "
                    "summing to 0.5") != std::string::npos);
    CHECK(broken("\"from\": \"start\"", "\"from\": \"start\", \"colour\": 1")
              .find("table.transitions[0].colour: unknown key") != std::string::npos);
    std::string with_table = rl::io::settings_to_json_text(tokens());
    with_table.insert(with_table.rfind('}'),
                      R"(, "table": {"states": ["a"], "start": "a", "transitions": []})");
    CHECK(rl::io::settings_from_json_text(with_table, "t.json").error ==
          "t.json: table: only a problem = table has one");
    CHECK(broken("\"name\": \"left\"", "\"name\": \"left\", \"reward\": \"fixed\", \"value\": 1")
              .find("a table's moves pay the rewards, not its actions") != std::string::npos);
}

TEST_CASE("episode settings: a token preset makes its model and replicated initial policy") {
    const rl::core::Settings chain = preset("token-chain");
    const rl::core::EpisodeProblem p = rl::core::make_episode_problem(chain);
    CHECK(p.model->horizon() == 8);
    CHECK(p.model->blocks() == 8);
    REQUIRE(p.initial.probs.size() == 16);
    for (const double prob : p.initial.probs)
        CHECK(std::abs(prob - 0.5) < 1e-15);
}

TEST_CASE("episode settings: a value the problem would not read is refused, not kept") {
    CHECK(refusal({{"length", "5"}}) == "length: only for episodes (problem = tokens or table)");
    CHECK(refusal({{"credit", "reward_to_go"}}) ==
          "credit: only for episodes (problem = tokens or table)");
    CHECK(refusal({{"action.0.marked", "1"}}) ==
          "action.0.marked: only a token sequence marks tokens (problem = tokens)");
    rl::core::Settings corridor = preset("short-corridor");
    CHECK(rl::core::set_field(corridor, "outcome", "contains") ==
          "outcome: only for token sequences (problem = tokens)");
    CHECK(rl::core::set_field(corridor, "policy_form", "shared") ==
          "policy_form: only for token sequences (problem = tokens)");
    // Back to a bandit only with the episode fields back at their defaults.
    rl::core::Settings s = tokens();
    CHECK(rl::core::set_field(s, "problem", "bandit") ==
          "length: only for episodes (problem = tokens or table)");
    const Changes back = {{"problem", "bandit"}, {"length", "8"}};
    CHECK(rl::core::set_fields(s, back) == "");
}

TEST_CASE("episode settings: every decision of every model has a logit block, reached or not") {
    // The dynamic programs visit every situation at every decision, including ones no episode
    // reaches (after the start symbol at a later position); each needs a block of the policy.
    std::vector<rl::core::Settings> problems;
    for (const char* form : {"per_position", "previous_token", "shared"}) {
        problems.push_back(tokens({{"policy_form", form}}));
        for (const char* outcome : {"all_marked", "at_least", "contains", "avoids"}) {
            Changes changes = {
                {"policy_form", form}, {"outcome", outcome}, {"action.yes.marked", "1"}};
            if (std::string(outcome) == "at_least") changes.push_back({"outcome_count", "2"});
            problems.push_back(tokens(changes));
        }
    }
    for (const char* name : {"short-corridor", "token-chain", "one-bad-token", "all-correct"})
        problems.push_back(preset(name));
    for (const rl::core::Settings& s : problems) {
        const rl::core::EpisodeProblem p = rl::core::make_episode_problem(s);
        CAPTURE(rl::io::settings_to_json_text(s));
        REQUIRE(p.initial.logits.size() == p.model->blocks() * p.model->actions());
        bool every_block_exists = true;
        for (int t = 0; t < p.model->horizon(); ++t)
            for (std::uint32_t x = 0; x < p.model->situations(); ++x)
                every_block_exists &= p.model->block(t, x) < p.model->blocks();
        CHECK(every_block_exists);
    }
}

TEST_CASE("episode settings: a token's reward can differ by position, in files") {
    // good pays 1 except at position 2, where it costs 1: at the uniform policy
    // J = 1/2 + (-1/2) + 1/2, and the best token of position 2 is bad.
    const std::string text = R"({"version": 3, "problem": "tokens", "length": 3, "actions": [
        {"name": "good", "reward": "fixed", "value": 1,
         "by_position": [{"position": 2, "reward": "fixed", "value": -1}]},
        {"name": "bad", "reward": "fixed", "value": 0}]})";
    const rl::io::SettingsResult r = rl::io::settings_from_json_text(text, "p.json");
    REQUIRE_MESSAGE(r, r.error);
    REQUIRE(r.settings->actions[0].by_position.size() == 1);
    const rl::core::EpisodeProblem p = rl::core::make_episode_problem(*r.settings);
    const rl::core::EpisodeValues v = rl::core::episode_values(*p.model, p.initial);
    CHECK(std::abs(v.J - 0.5) < 1e-15);
    // d J / d logit(good) per position: +1/4, -1/4, +1/4.
    CHECK(std::abs(v.gradient[0] - 0.25) < 1e-15);
    CHECK(std::abs(v.gradient[2] + 0.25) < 1e-15);
    CHECK(std::abs(v.gradient[4] - 0.25) < 1e-15);
    // Written back whole, and read to the same settings.
    const std::string written = rl::io::settings_to_json_text(*r.settings);
    CHECK(written.find("\"by_position\"") != std::string::npos);
    const rl::io::SettingsResult back = rl::io::settings_from_json_text(written, "p.json");
    REQUIRE_MESSAGE(back, back.error);
    CHECK(rl::io::settings_to_json_text(*back.settings) == written);

    const auto refused = [&](const std::string& from, const std::string& to) {
        return error_with(text, from, to, "p.json");
    };
    CHECK(refused("\"position\": 2", "\"position\": 4") ==
          "p.json: actions[0].by_position[0].position: 4 is outside 1 to length 3");
    CHECK(refused("\"position\": 2", "\"position\": 0") ==
          "p.json: actions[0].by_position[0].position: must be a whole number between 1 and 512");
    CHECK(refused("\"value\": -1}]",
                  "\"value\": -1}, {\"position\": 2, \"reward\": \"fixed\", "
                  "\"value\": 3}]") ==
          "p.json: actions[0].by_position[1].position: 2 is given twice for good");
    CHECK(refused("\"reward\": \"fixed\", \"value\": -1",
                  "\"reward\": \"gaussian\", \"mean\": 0, \"sd\": -1") ==
          "p.json: actions[0].by_position[0].sd: must be between 0 and 1e+30");
    CHECK(refused("\"position\": 2,", "\"position\": 2, \"colour\": 1,") ==
          "p.json: actions[0].by_position[0].colour: unknown key (expected position, reward and "
          "its fields)");
    CHECK(refused("\"problem\": \"tokens\", \"length\": 3", "\"problem\": \"bandit\"") ==
          "p.json: actions[0].by_position: only for token sequences (problem = tokens)");
}
