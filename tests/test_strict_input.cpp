// Strict means strict: what could be read two ways, or what would be accepted and then silently
// ignored, is refused with a message naming it. --set values, action indices, action names, the
// integer fields' forms, the CSV column names and the options --headless cannot honour.

#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "core/settings.hpp"
#include "core/settings_fields.hpp"
#include "io/cli.hpp"
#include "io/headless.hpp"
#include "io/settings_file.hpp"
#include "io/summary_csv.hpp"
#include "support/sessions.hpp"

namespace {

using rl::core::set_field;
using rl::core::Settings;

// yes (fixed 8), no (fixed 3), maybe (fixed 5); action 1 made Gaussian for the reward-kind cases.
Settings three_actions() {
    Settings s = rl_test::yes_no_maybe();
    REQUIRE(set_field(s, "action.1.reward", "gaussian").empty());
    return s;
}

std::string refused(Settings s, const std::string& key, const std::string& value) {
    const Settings before = s;
    const std::string error = set_field(s, key, value);
    CHECK(rl::io::settings_to_json_text(s) == rl::io::settings_to_json_text(before));
    return error;
}

struct Planned {
    int status = -1;  // -1: a plan was made
    std::string err;
};

Planned plan(const std::vector<std::string>& args) {
    std::vector<const char*> argv = {"reinforce-lab"};
    for (const std::string& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    const auto planned = rl::io::plan_command(static_cast<int>(argv.size()), argv.data(), out, err);
    return {std::holds_alternative<int>(planned) ? std::get<int>(planned) : -1, err.str()};
}

}  // namespace

TEST_CASE("strict input: a field the action's reward model does not read is refused") {
    const Settings s = three_actions();
    CHECK(refused(s, "action.0.mean", "5") ==
          "action.0.mean: a fixed reward has no mean (set action.0.reward first)");
    CHECK(refused(s, "action.yes.p", "0.5") ==
          "action.yes.p: a fixed reward has no p (set action.yes.reward first)");
    Settings g = s;
    CHECK(set_field(g, "action.1.mean", "5") == "");
    CHECK(g.actions[1].reward.mean == 5.0);
    // Applied in order: the kind first, then its parameter, in one go.
    Settings b = s;
    CHECK(rl::core::set_fields(
              b, std::vector<std::pair<std::string, std::string>>{{"action.0.reward", "gaussian"},
                                                                  {"action.0.mean", "2"}}) == "");
    CHECK(b.actions[0].reward.mean == 2.0);
}

TEST_CASE("strict input: one sign only") {
    const Settings s = three_actions();
    for (const char* value : {"+-1", "++1", "-+1", "--1", "+", "+ 1"}) {
        CAPTURE(value);
        CHECK(refused(s, "action.1.logit", value) != "");
        CHECK(refused(s, "lr", value) != "");
    }
    Settings t = s;
    CHECK(set_field(t, "action.1.logit", "+1") == "");
    CHECK(set_field(t, "lr", "+0.25") == "");
    CHECK(t.estimator.lr == 0.25);
}

TEST_CASE("strict input: an action index is plain decimal digits") {
    const Settings s = three_actions();
    for (const char* key : {"action.1e0.value", "action.+0.value", "action. 0.value",
                            "action.0 .value", "action.-0.value", "action.0x0.value",
                            "action.0.0.value", "action..value", "action.3.value"}) {
        CAPTURE(key);
        const std::string error = refused(s, key, "1");
        CHECK(error.starts_with(std::string(key) + ": no action named or numbered '"));
    }
    Settings t = s;
    CHECK(set_field(t, "action.2.value", "7") == "");
    CHECK(t.actions[2].reward.value == 7.0);
    CHECK(set_field(t, "action.02.value", "6") == "");
    CHECK(t.actions[2].reward.value == 6.0);
}

TEST_CASE("strict input: two actions of one name are refused") {
    const Settings s = three_actions();
    CHECK(refused(s, "action.2.name", "yes") ==
          "action.2.name: 'yes' is already action.0's name (each action needs its own)");
    Settings twice = s;
    twice.actions[1].name = "maybe";
    CHECK(rl::core::validate(twice) ==
          "action.2.name: 'maybe' is already action.1's name (each action needs its own)");
}

TEST_CASE("strict input: every whole-number field reads the same forms") {
    // A form and the value it names; the seed reads them as K and steps do.
    const std::vector<std::pair<std::string, double>> forms = {
        {"12", 12}, {"+12", 12}, {" 12 ", 12}, {"1.2e1", 12}, {"12.0", 12}};
    const Settings bandit = three_actions();
    // The episode fields on an episode, where they are read.
    Settings episode = bandit;
    REQUIRE(set_field(episode, "problem", "tokens") == "");
    REQUIRE(set_field(episode, "length", "20") == "");
    int fields = 0;
    for (const rl::core::SettingsField& f : rl::core::kSettingsFields) {
        if (!f.settable) continue;
        if (f.kind != rl::core::FieldKind::kWhole && f.kind != rl::core::FieldKind::kSeed) continue;
        if (f.kind == rl::core::FieldKind::kWhole && (f.range.lo > 12 || f.range.hi < 12)) continue;
        CAPTURE(f.key);
        const Settings& start = f.episodes_only ? episode : bandit;
        ++fields;
        for (const auto& [text, value] : forms) {
            CAPTURE(text);
            Settings t = start;
            CHECK(set_field(t, f.key, text) == "");
            CHECK(rl::core::field_text(f.get(t)) == "12");
        }
        for (const char* bad : {"1.5", "+-12", "12x", "", "0x0c"}) {
            CAPTURE(bad);
            CHECK(refused(start, std::string(f.key), bad) != "");
        }
    }
    CHECK(fields >= 4);  // K, M, runs, steps and the seed at least
    Settings s = three_actions();
    CHECK(set_field(s, "seed", "1e3") == "");
    CHECK(s.seed == 1000);
    // Beyond 2^53 only plain digits are exact.
    CHECK(set_field(s, "seed", "18446744073709551615") == "");
    CHECK(s.seed == 18446744073709551615ULL);
    CHECK(set_field(s, "seed", "1e19") != "");
}

TEST_CASE("strict input: summary.csv column names are unique by construction") {
    Settings s = rl_test::yes_no_maybe();
    s.actions[0].name = "a";
    s.actions[1].name = "a";
    s.actions[2].name = "a_0";
    const std::vector<std::uint32_t> tracked = {0, 1, 2};
    const std::vector<std::string> stems = rl::io::tracked_action_columns(s, tracked);
    CHECK(std::set<std::string>(stems.begin(), stems.end()).size() == 3);
    CHECK(stems[2] == "a_0");
    // Names that differ only in what a column name cannot hold.
    s.actions[0].name = "a b";
    s.actions[1].name = "a_b";
    s.actions[2].name = "a,b";
    const std::vector<std::string> sanitized = rl::io::tracked_action_columns(s, tracked);
    CHECK(std::set<std::string>(sanitized.begin(), sanitized.end()).size() == 3);
}

TEST_CASE("strict input: --headless refuses the window's options, naming them") {
    const std::vector<std::string> base = {"--headless", "--out", "/tmp/rl-never-written"};
    const std::vector<std::vector<std::string>> window_only = {
        {"--frames", "5"},
        {"--frames", "5", "--screenshot", "a.png"},
        {"--frames", "5", "--save-session", "s.json"},
        {"--frames", "5", "--export", "x"},
        {"--presenter"},
        {"--size", "800x600"},
        {"--lesson-step", "2"}};
    for (const std::vector<std::string>& extra : window_only) {
        std::vector<std::string> args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        CAPTURE(extra.front());
        const Planned p = plan(args);
        CHECK(p.status == rl::io::kExitUsage);
        CHECK(p.err.starts_with("reinforce-lab: --headless: "));
        CHECK(p.err.find(extra.front()) != std::string::npos);
        CHECK(p.err.find("only with the window") != std::string::npos);
    }
    const Planned two = plan({"--headless", "--out", "o", "--presenter", "--size", "800x600"});
    CHECK(two.err == "reinforce-lab: --headless: --presenter, --size: only with the window\n");
}
