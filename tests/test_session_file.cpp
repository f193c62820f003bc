// Session documents (version 2): the step reached, the settings history and the lesson survive a
// write and a read; version 1 files and the presets still read; and every kind of bad file is
// refused with its exact message while the caller's document stays as it was.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "io/presets.hpp"
#include "io/session_file.hpp"
#include "io/settings_file.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using rl::io::SessionFile;
using rl_test::TempDir;

// The writer keeps every field at round-trip precision (test_settings_file checks that), so equal
// texts mean equal sessions.
std::string text_of(const rl::core::Settings& s) {
    return rl::io::settings_to_json_text(s);
}

rl::core::Settings with(rl::core::Settings s, const std::string& key, const std::string& value) {
    REQUIRE(rl::core::set_field(s, key, value).empty());
    return s;
}

// A document with every part in use: two earlier settings, a two-step lesson shown at step 1.
SessionFile full_document() {
    const rl::core::Settings first = rl_test::yes_no_maybe();
    SessionFile d;
    d.history = {{0, first}, {12, with(first, "lr", "0.3")}};
    d.settings = with(with(d.history[1].settings, "K", "4"), "title", "after the K edit");
    d.settings_step = 25;
    d.step = 37;
    rl::io::LessonStep compare;
    compare.title = "Leave one out";
    compare.text = "Each sample's baseline is the mean of the others.";
    compare.set = {{"K", "4"}, {"baseline", "rloo"}, {"lr", "0.1"}};
    compare.reset = true;
    compare.play = true;
    compare.pace = 0.25;
    compare.pause_at = {20, 200};
    compare.focus = {rl::io::LessonPlot::kSnr, rl::io::LessonPlot::kGradient};
    rl::io::LessonStep rename;
    rename.title = "A name that looks like a number";
    rename.text = "It stays text.";
    rename.set = {{"action.yes.name", "007"}, {"action.maybe.value", "-2.5"}};
    rename.play = false;
    d.lesson.steps = {compare, rename};
    d.lesson_step = 1;
    REQUIRE(rl::io::check_session_file(d).empty());
    return d;
}

void check_same(const SessionFile& a, const SessionFile& b) {
    CHECK(text_of(a.settings) == text_of(b.settings));
    CHECK(a.step == b.step);
    CHECK(a.settings_step == b.settings_step);
    REQUIRE(a.history.size() == b.history.size());
    for (std::size_t i = 0; i < a.history.size(); ++i) {
        CHECK(a.history[i].step == b.history[i].step);
        CHECK(text_of(a.history[i].settings) == text_of(b.history[i].settings));
    }
    REQUIRE(a.lesson.steps.size() == b.lesson.steps.size());
    for (std::size_t i = 0; i < a.lesson.steps.size(); ++i) {
        const rl::io::LessonStep &x = a.lesson.steps[i], &y = b.lesson.steps[i];
        CHECK(x.title == y.title);
        CHECK(x.text == y.text);
        CHECK(x.set == y.set);
        CHECK(x.reset == y.reset);
        CHECK(x.play == y.play);
        CHECK(x.pace == y.pace);
        CHECK(x.pause_at == y.pause_at);
        CHECK(x.focus == y.focus);
    }
    CHECK(a.lesson_step == b.lesson_step);
}

rl::io::SessionFileResult parse(const std::string& text) {
    return rl::io::session_file_from_json_text(text, "test.json");
}

const std::string kActions = R"("actions": [{"name": "a", "reward": "fixed", "value": 1},
                                           {"name": "b", "reward": "fixed", "value": 2}])";

// A small valid version 2 file at step 10; cases below break one thing at a time.
std::string v2(const std::string& extra = "") {
    return R"({"version": 2, )" + kActions + R"(, "step": 10)" + extra + "}";
}

std::string history_entry(int until, const std::string& settings_extra = "") {
    return R"({"until_step": )" + std::to_string(until) + R"(, "settings": {)" + kActions +
           settings_extra + "}}";
}

}  // namespace

TEST_CASE("session document: a written document reads back with its step and history and lesson") {
    TempDir dir;
    const SessionFile original = full_document();
    const fs::path file = dir.path / "saved.json";
    REQUIRE(rl::io::write_session_file(file, original).empty());
    const rl::io::SessionFileResult back = rl::io::read_session_file(file);
    REQUIRE_MESSAGE(back, back.error);
    check_same(original, *back.document);

    // The history is stored as when each entry ended; set values that are numbers stay numbers.
    const std::string text = rl::io::session_file_to_json_text(original);
    CHECK(text.find("\"until_step\": 12") != std::string::npos);
    CHECK(text.find("\"until_step\": 25") != std::string::npos);
    CHECK(text.find("\"K\": 4,") != std::string::npos);
    CHECK(text.find("\"action.yes.name\": \"007\"") != std::string::npos);
    CHECK(text.find("\"version\": 3") != std::string::npos);
}

TEST_CASE("session document: a document that would not load back is not written") {
    TempDir dir;
    SessionFile d = full_document();
    d.lesson_step = 5;
    const fs::path file = dir.path / "saved.json";
    CHECK(rl::io::write_session_file(file, d) ==
          file.string() +
              ": not saved, it would not load back: lesson_step: must be between -1 and 1 (the "
              "lesson has 2 steps)");
    CHECK_FALSE(fs::exists(file));
}

TEST_CASE("session document: version 1 files and every preset read and keep their lesson") {
    const rl::io::SessionFileResult v1 = parse(R"({"version": 1, )" + kActions +
                                               R"(, "lesson": [{"title": "Start", "text": "Go.",
                                                 "set": {"K": 2, "lr": 0.25}, "play": true}]})");
    REQUIRE_MESSAGE(v1, v1.error);
    CHECK(v1.document->step == 0);
    CHECK(v1.document->history.empty());
    REQUIRE(v1.document->lesson.steps.size() == 1);
    CHECK(v1.document->lesson.steps[0].set ==
          std::vector<std::pair<std::string, std::string>>{{"K", "2"}, {"lr", "0.25"}});
    CHECK(v1.document->lesson.steps[0].play == true);
    CHECK_FALSE(v1.document->lesson.steps[0].reset);

    const std::vector<rl::io::PresetFile> presets =
        rl::io::list_presets({RL_TEST_ASSET_DIR, "the test build"});
    REQUIRE(presets.size() >= 7);
    for (const rl::io::PresetFile& preset : presets) {
        CAPTURE(preset.name);
        const rl::io::SessionFileResult read = rl::io::read_session_file(preset.path);
        REQUIRE_MESSAGE(read, read.error);
        const rl::io::SessionFileResult again =
            parse(rl::io::session_file_to_json_text(*read.document));
        REQUIRE_MESSAGE(again, again.error);
        check_same(*read.document, *again.document);
    }
}

TEST_CASE("session document: lesson steps apply in order on top of the base settings") {
    const rl::core::Settings base = rl_test::yes_no_maybe();
    rl::io::Lesson lesson;
    lesson.steps.resize(3);
    lesson.steps[0].set = {{"baseline", "rloo"}, {"K", "4"}};  // together, so the order is free
    lesson.steps[1].set = {{"action.yes.value", "-2"}};
    lesson.steps[2].set = {{"colour", "blue"}};

    rl::core::Settings out = base;
    REQUIRE(rl::io::lesson_settings(base, lesson, 1, out).empty());
    CHECK(out.estimator.K == 4);
    CHECK(out.estimator.baseline == rl::core::BaselineKind::kRloo);
    CHECK(out.actions[0].reward.value == -2.0);

    const rl::core::Settings before = out;
    CHECK(rl::io::lesson_settings(base, lesson, 2, out) == "lesson[2].set.colour: unknown setting");
    CHECK(text_of(out) == text_of(before));
    CHECK(rl::io::lesson_settings(base, lesson, 3, out) ==
          "lesson_step: 3 is not a step of this lesson (it has 3)");

    lesson.steps[0].set = {{"baseline", "rloo"}};  // K stays 1, which leave-one-out cannot use
    CHECK(rl::io::lesson_settings(base, lesson, 0, out) ==
          "lesson[0].set.baseline: rloo (leave-one-out) needs K >= 2");
}

TEST_CASE(
    "session document: bad files are refused with their exact message and nothing is loaded") {
    struct Case {
        const char* what;
        std::string text;
        std::string message;  // after "SOURCE: "
    };
    const std::string lesson = R"(, "lesson": [{"title": "one", "text": "t"}, {"text": "u"}])";
    const Case cases[] = {
        {"not JSON", R"({"version": 2,)",
         "invalid JSON: parse error at line 1, column 15: syntax error while parsing object key - "
         "unexpected end of input; expected string literal"},
        {"empty", "", "the file is empty"},
        {"only white space", " \n\t ", "the file is empty"},
        {"top level not an object", "[1, 2]", "session: must be a JSON object, got a list"},
        {"missing version", "{" + kActions + "}",
         "version: missing (this build reads versions 1 to 3)"},
        {"version 4", R"({"version": 4})",
         "version: unsupported 4 (this build reads versions 1 to 3)"},
        {"an episode in version 2", v2(R"(, "problem": "tokens")"), "problem: needs version 3"},
        {"version as text", R"({"version": "2"})",
         "version: unsupported \"2\" (this build reads versions 1 to 3)"},
        {"version 2 key in version 1", R"({"version": 1, )" + kActions + R"(, "step": 3})",
         "step: needs version 2"},
        {"unknown key", v2(R"(, "colour": "blue")"), "colour: unknown key"},
        {"wrong type", v2(R"(, "K": "eight")"), "K: must be a number, got a string"},
        {"step as text", R"({"version": 2, )" + kActions + R"(, "step": "10"})",
         "step: must be a number, got a string"},
        {"step negative", R"({"version": 2, )" + kActions + R"(, "step": -1})",
         "step: must be a whole number between 0 and 2147483647"},
        {"K out of range", v2(R"(, "K": 0)"), "K: must be a whole number between 1 and 65536"},
        {"missing actions", R"({"version": 2, "K": 2})",
         "actions: missing (a list of at least 2 actions)"},
        {"another kind's reward field", R"({"version": 2, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "p": 0.5},
            {"name": "b", "reward": "fixed", "value": 2}]})",
         "actions[0].p: not used by a fixed reward"},
        {"probs not summing to 1", R"({"version": 2, "actions": [
            {"name": "a", "reward": "fixed", "value": 1, "prob": 0.5},
            {"name": "b", "reward": "fixed", "value": 2, "prob": 0.6}]})",
         "actions[].prob: must sum to 1 (they sum to 1.1)"},
        {"history not a list", v2(R"(, "history": {})"), "history: must be a list, got an object"},
        {"history steps not increasing",
         v2(R"(, "history": [)" + history_entry(5) + ", " + history_entry(5) + "]"),
         "history[1].until_step: must be greater than history[0].until_step (5)"},
        {"history entry ending at step 0", v2(R"(, "history": [)" + history_entry(0) + "]"),
         "history[0].until_step: must be greater than 0"},
        {"history beyond the step", v2(R"(, "history": [)" + history_entry(11) + "]"),
         "history[0].until_step: must be at most step (10)"},
        {"history settings refused",
         v2(R"(, "history": [)" + history_entry(4, R"(, "K": 0)") + "]"),
         "history[0].settings.K: must be a whole number between 1 and 65536"},
        {"history settings with a version",
         v2(R"(, "history": [)" + history_entry(4, R"(, "version": 2)") + "]"),
         "history[0].settings.version: unknown key"},
        {"history entry without settings", v2(R"(, "history": [{"until_step": 4}])"),
         "history[0].settings: missing"},
        {"history entry with another key",
         v2(R"(, "history": [{"until_step": 4, "from": 0, "settings": {}}])"),
         "history[0].from: unknown key (expected until_step and settings)"},
        {"lesson step without text", v2(R"(, "lesson": [{"title": "one"}])"),
         "lesson[0].text: missing"},
        {"lesson step with another key", v2(R"(, "lesson": [{"text": "t", "wait": 3}])"),
         "lesson[0].wait: unknown key (expected title, text, set, reset, play, pace, pause_at or "
         "focus)"},
        {"lesson step focus on an unknown plot",
         v2(R"(, "lesson": [{"text": "t", "focus": ["cloud"]}])"),
         "lesson[0].focus[0]: must be policy, gradient, reward, snr, step, credit or length"},
        {"lesson step focus on three plots",
         v2(R"(, "lesson": [{"text": "t", "focus": ["policy", "snr", "reward"]}])"),
         "lesson[0].focus: must name one or two plots"},
        {"lesson step focus on a plot twice",
         v2(R"(, "lesson": [{"text": "t", "focus": ["snr", "snr"]}])"),
         "lesson[0].focus[1]: names snr twice"},
        {"lesson set value of the wrong type",
         v2(R"(, "lesson": [{"text": "t", "set": {"K": true}}])"),
         "lesson[0].set.K: must be a string or a number, got true/false"},
        {"lesson set refused",
         v2(R"(, "lesson": [{"text": "t"}, {"text": "u", "set": {"baseline": "magic"}}])"),
         "lesson[1].set.baseline: must be one of none, constant, running, batch_mean, rloo, "
         "expected, optimal, group_norm, prefix_value, learned_value"},
        {"lesson set of an unknown action",
         v2(R"(, "lesson": [{"text": "t", "set": {"action.zebra.value": 3}}])"),
         "lesson[0].set.action.zebra.value: no action named or numbered 'zebra'"},
        {"lesson reset not a flag", v2(R"(, "lesson": [{"text": "t", "reset": "yes"}])"),
         "lesson[0].reset: must be true or false, got a string"},
        {"lesson_step out of range", v2(lesson + R"(, "lesson_step": 2)"),
         "lesson_step: must be between -1 and 1 (the lesson has 2 steps)"},
        {"lesson_step without a lesson", v2(R"(, "lesson_step": 0)"),
         "lesson_step: must be -1 (there is no lesson)"},
    };

    TempDir dir;
    const SessionFile kept = full_document();
    for (const Case& c : cases) {
        CAPTURE(c.what);
        const rl::io::SessionFileResult r = parse(c.text);
        CHECK_FALSE(r);
        CHECK(r.error == "test.json: " + c.message);

        const fs::path file = dir.path / "bad.json";
        std::ofstream(file) << c.text;
        SessionFile target = kept;
        CHECK(rl::io::load_session_file(file, target) == file.string() + ": " + c.message);
        check_same(target, kept);
        // The settings-only entry point refuses the same files.
        CHECK(rl::io::read_settings_file(file).error == file.string() + ": " + c.message);
    }
}

TEST_CASE("session document: a missing file or a folder is refused naming the path") {
    TempDir dir;
    const SessionFile kept = full_document();
    SessionFile target = kept;
    const fs::path missing = dir.path / "none.json";
    CHECK(rl::io::load_session_file(missing, target) ==
          missing.string() + ": cannot read: No such file or directory");
    CHECK(rl::io::load_session_file(dir.path, target) ==
          dir.path.string() + ": cannot read: Is a directory");
    check_same(target, kept);
}
