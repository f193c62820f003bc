// The one table of settings fields (core/settings_fields.hpp): every row is consistent, and every
// entry point that reads a setting (--set, a session file, the window's check) refuses a bad value
// with the same message, because they all go through the row.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "core/choices.hpp"
#include "core/compare_settings.hpp"
#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "io/cli.hpp"
#include "io/settings_file.hpp"
#include "support/sessions.hpp"

namespace {

using rl::core::FieldKind;
using rl::core::FieldValue;

template <typename Enum>
void check_choice_table() {
    std::set<std::string_view> names, labels;
    for (const rl::core::Choice<Enum>& c : rl::core::choices<Enum>()) {
        INFO(c.name);
        CHECK(names.insert(c.name).second);
        CHECK(labels.insert(c.label).second);
        CHECK_FALSE(c.tooltip.empty());
        Enum parsed{};
        REQUIRE(rl::core::parse_choice(c.name, parsed));
        CHECK(parsed == c.value);
        CHECK(rl::core::to_string(c.value) == c.name);
    }
    Enum untouched = rl::core::choices<Enum>().back().value;
    CHECK_FALSE(rl::core::parse_choice("no such choice", untouched));
    CHECK(untouched == rl::core::choices<Enum>().back().value);
}

// A value just outside the row's range, as --set text.
std::string outside(const rl::core::SettingsField& f) {
    const double past = f.range.hi == 0.0 ? 1.0 : std::abs(f.range.hi);
    return rl::core::field_text(FieldValue{f.range.hi + past});
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("settings fields: each choice table names every value once and parses back") {
    check_choice_table<rl::core::BaselineKind>();
    check_choice_table<rl::core::RunningMode>();
    check_choice_table<rl::core::KlMode>();
    check_choice_table<rl::core::Parameterization>();
    check_choice_table<rl::core::RewardKind>();
    check_choice_table<rl::core::Credit>();
    check_choice_table<rl::core::ProblemKind>();
    check_choice_table<rl::core::TokenPolicyForm>();
    check_choice_table<rl::core::OutcomeRule>();
    CHECK(rl::core::kBanditBaselines.size() == 8);
    // The episode baselines parse and print, but a one-step problem refuses them, saying why,
    // and its window lists the eight it takes.
    for (const char* episode_only : {"prefix_value", "learned_value"}) {
        rl::core::Settings s = rl_test::yes_no_maybe();
        const std::string reason = rl::core::set_field(s, "baseline", episode_only);
        CHECK(reason == "baseline: " + std::string(episode_only) +
                            " needs an episode (problem = tokens or table)");
        CHECK(s.estimator.baseline == rl::core::BaselineKind::kNone);
    }
    CHECK(rl::core::field_access::kBanditChoiceTexts<rl::core::BaselineKind>.size() == 8);
    // The window offers a bandit the eight, an episode all ten.
    rl::core::Settings episode = rl_test::yes_no_maybe();
    REQUIRE(rl::core::set_field(episode, "problem", "tokens") == "");
    CHECK(rl::core::offered_choices(rl::core::field("baseline"), rl_test::yes_no_maybe()).size() ==
          8);
    CHECK(rl::core::offered_choices(rl::core::field("baseline"), episode).size() == 10);
    CHECK(rl::core::field_access::kChoiceTexts<rl::core::BaselineKind>.size() == 10);
    // Plots name every baseline in their legends, each differently.
    std::set<std::string_view> legends;
    for (const auto& c : rl::core::choices<rl::core::BaselineKind>())
        CHECK((!c.legend.empty() && legends.insert(c.legend).second));
    CHECK(rl::core::choice_names<rl::core::KlMode>() == "penalty, reward");
}

TEST_CASE("settings fields: keys are unique, defaults pass their own checks, text round-trips") {
    const rl::core::Settings s = rl_test::yes_no_maybe();
    std::set<std::string_view> keys;
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        INFO(f.key);
        CHECK(keys.insert(f.key).second);
        CHECK_FALSE(f.tooltip.empty());
        CHECK((f.get != nullptr && f.set != nullptr));
        if (f.kind == FieldKind::kChoice) CHECK_FALSE(f.choices.empty());
        // The lists are whole-policy conveniences; every other row is a control in the window.
        if (f.kind != FieldKind::kList) CHECK_FALSE(f.label.empty());
        const FieldValue value = f.get(s);
        CHECK(rl::core::check_field(f, s, value) == "");
        if (!f.settable) continue;
        // What --set reads back from the row's text is the value itself.
        FieldValue parsed;
        REQUIRE(rl::core::parse_field_text(f, rl::core::field_text(value), parsed) == "");
        CHECK((parsed == value));
    }
    // The default is what Settings{} holds.
    CHECK(std::get<double>(rl::core::field_default(rl::core::field("K"))) == 1.0);
    CHECK(std::get<std::string>(rl::core::field_default(rl::core::field("baseline"))) == "none");
    std::set<std::string_view> action_keys;
    for (const rl::core::ActionField& f : rl::core::kActionFields) {
        INFO(f.key);
        CHECK(action_keys.insert(f.key).second);
        CHECK_FALSE(f.tooltip.empty());
        const FieldValue value = f.get(s, 0);
        CHECK(rl::core::check_action_field(f, s, 0, value, "here") == "");
    }
}

TEST_CASE("settings fields: --set, a session file and the window's check refuse alike") {
    const rl::core::Settings s = rl_test::yes_no_maybe();
    const std::string file = rl::io::settings_to_json_text(s);
    int compared = 0;
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        if (f.kind != FieldKind::kWhole && f.kind != FieldKind::kNumber) continue;
        // A bandit's file has no episode fields to change (tests/test_episode_settings.cpp).
        if (f.episodes_only) continue;
        INFO(f.key);
        const std::string text = outside(f);
        rl::core::Settings target = s;
        const std::string from_set = rl::core::set_field(target, f.key, text);
        std::string prefix(f.key);
        prefix += ": must be ";
        CHECK(from_set.rfind(prefix, 0) == 0);
        FieldValue value;
        REQUIRE(rl::core::parse_field_text(f, text, value) == "");
        CHECK(rl::core::check_field(f, s, value) == from_set);
        // The file with this one value changed.
        std::string key = "\"";
        key += f.key;
        key += "\": ";
        const std::size_t at = file.find(key);
        REQUIRE(at != std::string::npos);
        const std::size_t end = file.find_first_of(",\n}", at + key.size());
        const std::string changed = file.substr(0, at + key.size()) + text + file.substr(end);
        const rl::io::SettingsResult read = rl::io::settings_from_json_text(changed, "f.json");
        CHECK(read.error == "f.json: " + from_set);
        ++compared;
    }
    CHECK(compared == 11);
}

TEST_CASE("settings fields: compare mode's B may set exactly the estimator's rows") {
    std::string keys;
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        CHECK(rl::core::is_estimator_field(f.key) == f.estimator);
        if (!f.estimator) continue;
        if (!keys.empty()) keys += ", ";
        keys += f.key;
    }
    CHECK(keys ==
          "K, baseline, baseline_b, running_mode, running_decay, lr, kl_beta, kl_mode, "
          "entropy, clip, credit, critic_lr");
    CHECK(rl::core::estimator_field_keys() == keys);
}

TEST_CASE("settings fields: docs/SESSION.md lists every setting as --list-settings prints it") {
    const std::string doc = read_text(RL_TEST_DOCS_DIR "/SESSION.md");
    REQUIRE_FALSE(doc.empty());
    const std::string reference = rl::io::settings_reference();
    CHECK_MESSAGE(doc.find(reference) != std::string::npos,
                  "docs/SESSION.md is out of date; put this in its fenced block:\n"
                      << reference);
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        std::string entry = "  ";
        entry += f.key;
        entry += ' ';
        CHECK_MESSAGE(reference.find(entry) != std::string::npos, f.key);
    }
}
