// The window driven as a person drives it: keys, typing and clicks through xdotool on a private
// Xvfb display, the app running interactively (no --frames). Each test checks what the person
// would see (the file written, the status line) and that the window still answers afterwards and
// closes cleanly, keeping the session for next time.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "core/settings.hpp"
#include "io/session_file.hpp"
#include "support/gui_driver.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::GuiDriver;
using rl_test::Probe;
using rl_test::TempDir;

rl::io::SessionFile read_file(const fs::path& file) {
    rl::io::SessionFileResult read = rl::io::read_session_file(file);
    INFO(read.error);
    REQUIRE(read);
    return *read.document;
}

int steps_shown(const Probe& p) {
    const std::size_t at = p.status.find("step ");
    return at == std::string::npos ? -1 : std::stoi(p.status.substr(at + 5));
}

bool comparing(const Probe& p) {
    return p.status.find(" comparing") != std::string::npos;
}

// A saved session to open: yes-no-maybe after some steps, written by a scripted run.
fs::path saved_session(const TempDir& dir, const std::string& name) {
    const fs::path file = dir.path / name;
    const rl_test::AppRun run = rl_test::run_app(
        "--preset yes-no-maybe --engine cpu --set lr=0.3 --frames 12 --size 800x600 "
        "--save-session '" +
            file.string() + "'",
        dir, "xvfb-run -a");
    INFO(run.out << run.err);
    REQUIRE(run.status == 0);
    return file;
}

// A session file whose title is nested `levels` deep and followed by another key.
fs::path deep_session(const fs::path& file, std::size_t levels) {
    std::ofstream out(file, std::ios::binary);
    out << R"({"version":2,"title":)" << std::string(levels, '[') << std::string(levels, ']')
        << R"(,"K":1})";
    return file;
}

// In compare mode, Ctrl+O, the file's path typed over the proposed one, then Open.
void open_with_ctrl_o(GuiDriver& gui, const fs::path& file) {
    REQUIRE(gui.wait_for(comparing, 10.0));
    gui.key("ctrl+o");
    REQUIRE(gui.wait_for_item("Open session/Open"));
    REQUIRE(gui.wait_for([](const Probe& p) { return p.typing; }, 5.0));
    gui.key("ctrl+a");
    gui.type(file.string());
    gui.click("Open session/Open");
}

// The end every test shares: the window still draws, SIGTERM closes it with exit code 0, and the
// session is kept for the next start.
void check_answers_and_closes(GuiDriver& gui) {
    CHECK_MESSAGE(gui.answers(), gui.log());
    CHECK(gui.stop() == 0);
    CHECK(fs::exists(gui.config() / "reinforce-lab" / "last-session.json"));
}

}  // namespace

TEST_CASE("gui driven: Ctrl+S, a name and Save while the lesson plays writes the session") {
    TempDir dir("rl-gui-save");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    REQUIRE(gui.wait_for_status("playing"));
    gui.key("ctrl+s");
    REQUIRE(gui.wait_for_item("Save session/Save"));
    REQUIRE(gui.wait_for([](const Probe& p) { return p.typing; }, 5.0));
    gui.key("ctrl+a");
    gui.type("lecture");
    gui.screenshot(dir.path / "save-dialog.png");
    gui.click("Save session/Save");
    const fs::path file = gui.export_folder() / "lecture.json";
    CHECK_MESSAGE(gui.wait_for([&](const Probe&) { return fs::exists(file); }, 5.0), gui.log());
    CHECK(gui.wait_for_message("Saved the session to " + file.string()));
    CHECK(gui.wait_for([](const Probe& p) { return p.windows.count("Save session") == 0; }, 5.0));
    const rl::io::SessionFile saved = read_file(file);
    CHECK(saved.settings.preset == "yes-no-maybe");
    CHECK(saved.step > 0);
    CHECK(saved.lesson.steps.size() >= 3);
    // The dialog let go of the keyboard: Space pauses the lesson again.
    gui.key("space");
    CHECK(gui.wait_for_status("paused"));
    // What the dialog showed: the typed name in its field.
    const rl_test::Image shot = rl_test::load_png((dir.path / "save-dialog.png").string());
    CHECK(shot.width == 1600);
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: Ctrl+O opens a saved session while compare mode is on") {
    TempDir dir("rl-gui-open");
    const fs::path file = saved_session(dir, "earlier.json");
    const rl::io::SessionFile earlier = read_file(file);
    GuiDriver gui("--preset sigmoid-bandit --engine cpu --compare baseline=rloo", dir);
    open_with_ctrl_o(gui, file);
    // The saved run, replayed to its step and paused there; B had nothing to replay beside it.
    CHECK_MESSAGE(gui.wait_for(
                      [&](const Probe& p) {
                          return !comparing(p) && steps_shown(p) == earlier.step &&
                                 p.status.find("paused") != std::string::npos;
                      },
                      10.0),
                  gui.probe().status);
    CHECK(gui.wait_for([](const Probe& p) { return p.windows.count("Open session") == 0; }, 5.0));
    check_answers_and_closes(gui);
    const rl::io::SessionFile kept =
        read_file(gui.config() / "reinforce-lab" / "last-session.json");
    CHECK(kept.settings.estimator.lr == doctest::Approx(0.3));
    CHECK(kept.settings.preset == "yes-no-maybe");
}

TEST_CASE("gui driven: a refused file in Ctrl+O keeps the session and compare mode") {
    TempDir dir("rl-gui-open-bad");
    // Nested a million levels deep and followed by a key: the file that crashed the reader.
    const fs::path bad = deep_session(dir.path / "broken.json", 1'000'000);
    GuiDriver gui("--preset sigmoid-bandit --engine cpu --compare baseline=rloo", dir);
    open_with_ctrl_o(gui, bad);
    CHECK(gui.wait_for_message("the current session is unchanged"));
    CHECK(gui.wait_for_message("nested deeper than 32 levels"));
    CHECK(comparing(gui.probe()));
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: a last session that is refused is kept aside and the lesson opens") {
    TempDir dir("rl-gui-last-bad");
    const fs::path folder = dir.path / "config" / "reinforce-lab";
    fs::create_directories(folder);
    const fs::path last = deep_session(folder / "last-session.json", 100'000);
    const std::string bytes = rl_test::read_text(last);
    {
        GuiDriver gui("--engine cpu", dir);
        CHECK(gui.wait_for_message("The last session was refused (kept as " +
                                   (folder / "last-session.refused.json").string() + ")"));
        CHECK(
            gui.wait_for([](const Probe& p) { return p.windows.count("Welcome back") == 0; }, 2.0));
        // The default lesson plays.
        CHECK(gui.wait_for([](const Probe& p) { return steps_shown(p) > 0; }, 10.0));
        check_answers_and_closes(gui);
    }
    // The refused file is the user's, byte for byte; this run's session took its place.
    CHECK(rl_test::read_text(folder / "last-session.refused.json") == bytes);
    CHECK(read_file(last).settings.preset == "yes-no-maybe");
}

TEST_CASE("gui driven: loading a preset from the controls while compare mode is on") {
    TempDir dir("rl-gui-preset");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    gui.key("F6");
    REQUIRE(gui.wait_for(comparing, 10.0));
    REQUIRE(gui.answers(10));
    gui.click("preset");
    gui.click("preset/kl-anchor");
    CHECK_MESSAGE(gui.wait_for_message("Loaded the lesson \"KL anchor"), gui.probe().status);
    CHECK(gui.wait_for([](const Probe& p) { return !comparing(p); }, 5.0));
    // The lesson plays from step 0 on the new preset.
    CHECK(gui.wait_for([](const Probe& p) { return p.status.find("playing") != std::string::npos; },
                       5.0));
    check_answers_and_closes(gui);
    CHECK(read_file(gui.config() / "reinforce-lab" / "last-session.json").settings.preset ==
          "kl-anchor");
}

TEST_CASE("gui driven: the resume offer brings back the last session, compare mode on") {
    TempDir dir("rl-gui-resume");
    const fs::path file = saved_session(dir, "last.json");
    const rl::io::SessionFile earlier = read_file(file);
    // Where the last run kept it.
    const fs::path kept = dir.path / "config" / "reinforce-lab" / "last-session.json";
    fs::create_directories(kept.parent_path());
    fs::copy_file(file, kept);
    GuiDriver gui("--preset sigmoid-bandit --engine cpu --compare baseline=rloo", dir);
    REQUIRE(gui.wait_for_item("Welcome back/Resume"));
    gui.click("Welcome back/Resume");
    CHECK_MESSAGE(
        gui.wait_for(
            [&](const Probe& p) { return steps_shown(p) == earlier.step && !comparing(p); }, 10.0),
        gui.probe().status);
    CHECK(gui.wait_for_message("Resumed the last session."));
    CHECK(gui.wait_for([](const Probe& p) { return p.windows.count("Welcome back") == 0; }, 5.0));
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: a value typed into a field is refused with the field's range") {
    TempDir dir("rl-gui-field");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    gui.click_field("field/runs");
    gui.key("ctrl+a");
    gui.type("0");
    gui.key("Return");
    CHECK(gui.wait_for([](const Probe& p) { return !p.typing; }, 5.0));
    CHECK_MESSAGE(gui.wait_for_message("runs: must be a whole number between 1 and 4096"),
                  gui.probe().status);
    // The previous value stays: a lesson that keeps playing with 256 runs.
    gui.click_field("field/runs");
    gui.key("ctrl+a");
    gui.type("64");
    gui.key("Return");
    REQUIRE(gui.wait_for([](const Probe& p) { return !p.typing; }, 5.0));
    gui.key("ctrl+s");
    REQUIRE_MESSAGE(gui.wait_for_item("Save session/Save"), gui.probe().status);
    REQUIRE(gui.wait_for([](const Probe& p) { return p.typing; }, 5.0));
    gui.key("ctrl+a");
    gui.type("runs");
    gui.key("Return");
    const fs::path file = gui.export_folder() / "runs.json";
    REQUIRE(gui.wait_for([&](const Probe&) { return fs::exists(file); }, 5.0));
    CHECK(read_file(file).settings.runs == 64);
    check_answers_and_closes(gui);
}

namespace {

bool has_message(const Probe& p, const std::string& text) {
    for (const std::string& m : p.messages)
        if (m.find(text) != std::string::npos) return true;
    return false;
}

// Types `text` over what `item` holds and presses Enter, as a person would; a slider is asked for
// its typed entry with Ctrl+click.
void type_into(GuiDriver& gui, const std::string& item, const std::string& text,
               bool slider = false) {
    if (slider) {
        gui.ctrl_click_field(item);
    } else {
        gui.click_field(item);
    }
    gui.key("ctrl+a");
    gui.type(text);
    gui.key("Return");
    REQUIRE(gui.wait_for([](const Probe& p) { return !p.typing; }, 5.0));
}

// The settings the window holds now, read back through Ctrl+S as a file named `name`.
rl::core::Settings saved_settings(GuiDriver& gui, const std::string& name) {
    gui.key("ctrl+s");
    REQUIRE_MESSAGE(gui.wait_for_item("Save session/Save"), gui.probe().status);
    REQUIRE(gui.wait_for([](const Probe& p) { return p.typing; }, 5.0));
    gui.key("ctrl+a");
    gui.type(name);
    gui.key("Return");
    const fs::path file = gui.export_folder() / (name + ".json");
    REQUIRE(gui.wait_for([&](const Probe&) { return fs::exists(file); }, 5.0));
    REQUIRE(gui.wait_for([](const Probe& p) { return p.windows.count("Save session") == 0; }, 5.0));
    return read_file(file).settings;
}

// The settings once they hold what `ready` wants, saved again until then (10 s at most): a
// session file has the settings the engine last published, which follow an edit by a tick, and
// a tick at K = 5000 takes a while.
rl::core::Settings saved_once(GuiDriver& gui, const std::string& name,
                              const std::function<bool(const rl::core::Settings&)>& ready) {
    rl::core::Settings s = saved_settings(gui, name);
    for (int i = 1; i < 10 && !ready(s); ++i) {
        gui.answers(10);
        s = saved_settings(gui, name + "-" + std::to_string(i));
    }
    return s;
}

}  // namespace

TEST_CASE("gui driven: the learning rate takes 0.05 whole and refuses 1e400 with its range") {
    TempDir dir("rl-gui-lr");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    // Applied on Enter, not on the way there: "0" alone would have been refused.
    type_into(gui, "field/lr", "0.05", true);
    CHECK(saved_once(gui, "typed", [](const auto& s) {
              return s.estimator.lr == 0.05;
          }).estimator.lr == 0.05);
    CHECK_MESSAGE(!has_message(gui.probe(), "lr:"), gui.probe().status);
    // Read in full: not the "1e4" it starts with, nor infinity.
    type_into(gui, "field/lr", "1e400", true);
    CHECK_MESSAGE(gui.wait_for_message("lr: must be greater than 0 and at most 1e+06"),
                  gui.probe().status);
    REQUIRE(gui.answers(30));  // time for a value taken by mistake to reach the file
    CHECK(saved_settings(gui, "refused").estimator.lr == 0.05);
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: 1e400 typed into runs is refused, not read as 1400") {
    TempDir dir("rl-gui-runs");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    type_into(gui, "field/runs", "64");
    type_into(gui, "field/runs", "1e400");
    CHECK_MESSAGE(gui.wait_for_message("runs: must be a whole number between 1 and 4096"),
                  gui.probe().status);
    REQUIRE(gui.answers(30));
    CHECK(saved_once(gui, "runs", [](const auto& s) { return s.runs == 64; }).runs == 64);
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: K typed past the slider takes the command line's range, unclamped") {
    TempDir dir("rl-gui-k");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    type_into(gui, "field/K", "1e6", true);
    CHECK_MESSAGE(gui.wait_for_message("K: must be a whole number between 1 and 65536"),
                  gui.probe().status);
    REQUIRE(gui.answers(30));  // time for a value taken by mistake to reach the file
    CHECK(saved_settings(gui, "refused").estimator.K == 1);
    // Beyond the slider's end but inside --set's range: taken as typed.
    type_into(gui, "field/K", "5000", true);
    CHECK(saved_once(gui, "beyond", [](const auto& s) {
              return s.estimator.K == 5000;
          }).estimator.K == 5000);
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: an action renamed to another's name is refused and keeps its name") {
    TempDir dir("rl-gui-name");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    type_into(gui, "action/1/name", "yes");
    CHECK_MESSAGE(gui.wait_for_message("'yes' is already action.0's name"), gui.probe().status);
    const rl::core::Settings kept = saved_settings(gui, "names");
    REQUIRE(kept.actions.size() == 3);
    CHECK(kept.actions[1].name == "no");
    check_answers_and_closes(gui);
}

TEST_CASE("gui driven: a window opened at another size than it was left at is laid out afresh") {
    TempDir dir("rl-gui-relayout");
    const auto plots_reach = [](int right) {
        return [right](const Probe& p) {
            const auto plots = p.windows.find("Plots");
            return plots != p.windows.end() && std::abs(plots->second.x1 - right) <= 2;
        };
    };
    const fs::path kept = dir.path / "config" / "reinforce-lab";
    std::string small_layout;
    {
        GuiDriver small("--preset yes-no-maybe --engine cpu", dir, 1280, 720);
        CHECK(small.wait_for(plots_reach(1280), 10.0));
        CHECK(small.stop() == 0);
        small_layout = rl_test::read_text(kept / "imgui.ini");
        REQUIRE(small_layout.find("[Window][Plots]") != std::string::npos);
    }
    // ImGui remembers the 1280x720 panels; the plots still reach the right edge at 1600x900.
    {
        GuiDriver large("--preset yes-no-maybe --engine cpu", dir, 1600, 900);
        CHECK_MESSAGE(large.wait_for(plots_reach(1600), 10.0), large.probe().status);
        CHECK(large.stop() == 0);
    }
    // A layout left by another size under a window.txt of this one (as an older version could
    // leave them) is laid out afresh too.
    std::ofstream(kept / "imgui.ini", std::ios::binary) << small_layout;
    std::ofstream(kept / "window.txt") << "1600 900\n";
    GuiDriver again("--preset yes-no-maybe --engine cpu", dir, 1600, 900);
    CHECK(again.wait_for(plots_reach(1600), 10.0));
    check_answers_and_closes(again);
}
