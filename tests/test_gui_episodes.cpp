// Episodes in the window, driven as a person drives it: a sequence preset picked from the list,
// stepped with the keyboard, its length typed into the problem's controls, and the session kept
// for next time.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/settings.hpp"
#include "io/session_file.hpp"
#include "support/gui_driver.hpp"
#include "support/png_check.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::GuiDriver;
using rl_test::Probe;
using rl_test::TempDir;

int steps_shown(const Probe& p) {
    const std::size_t at = p.status.find("step ");
    return at == std::string::npos ? -1 : std::stoi(p.status.substr(at + 5));
}

rl::io::SessionFile last_session(const GuiDriver& gui) {
    const rl::io::SessionFileResult read =
        rl::io::read_session_file(gui.config() / "reinforce-lab" / "last-session.json");
    INFO(read.error);
    REQUIRE(read);
    return *read.document;
}

// From yes-no-maybe to token-chain through the preset list, paused.
void open_token_chain(GuiDriver& gui) {
    REQUIRE(gui.answers(10));
    gui.click("preset");
    REQUIRE(gui.wait_for_item("preset/token-chain"));
    gui.click("preset/token-chain");
    REQUIRE_MESSAGE(gui.wait_for_message("Loaded the lesson"), gui.probe().status);
    gui.key("space");
    REQUIRE(gui.wait_for_status("paused"));
}

// Text typed over a field's value, then Return, as a person enters a number.
void type_into(GuiDriver& gui, const std::string& field, const std::string& text) {
    gui.click_field(field);
    gui.key("ctrl+a");
    gui.type(text);
    gui.key("Return");
}

}  // namespace

TEST_CASE("gui driven: a sequence preset picked from the list runs and steps in the window") {
    TempDir dir("rl-gui-episodes");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    open_token_chain(gui);
    const int before = steps_shown(gui.probe());
    REQUIRE(before >= 0);
    gui.key("s");
    CHECK_MESSAGE(gui.wait_for([&](const Probe& p) { return steps_shown(p) == before + 1; }, 10.0),
                  gui.probe().status);
    // The problem's controls are there for the sequence: its length and its credit.
    CHECK(gui.probe().items.count("field/length") == 1);
    CHECK(gui.probe().items.count("field/credit") == 1);
    gui.screenshot(dir.path / "token-chain.png");
    const rl_test::Image shot = rl_test::load_png((dir.path / "token-chain.png").string());
    CHECK(shot.width == 1600);
    CHECK_MESSAGE(gui.answers(), gui.log());
    CHECK(gui.stop() == 0);
    const rl::io::SessionFile kept = last_session(gui);
    CHECK(kept.settings.preset == "token-chain");
    CHECK(kept.settings.problem == rl::core::ProblemKind::kTokens);
    CHECK(kept.step == before + 1);
}

TEST_CASE("gui driven: a length typed for the sequence starts the runs over at that length") {
    TempDir dir("rl-gui-episodes");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    open_token_chain(gui);
    gui.key("s");
    REQUIRE(gui.wait_for([](const Probe& p) { return steps_shown(p) > 0; }, 10.0));
    type_into(gui, "field/length", "5");
    CHECK_MESSAGE(gui.wait_for_message("length T changed: the runs started over"),
                  gui.probe().status);
    CHECK(gui.wait_for([](const Probe& p) { return steps_shown(p) == 0; }, 10.0));
    // Out of range: refused with the range, the length kept.
    type_into(gui, "field/length", "9999");
    CHECK_MESSAGE(gui.wait_for_message("length: must be a whole number between 1 and 512"),
                  gui.probe().status);
    CHECK_MESSAGE(gui.answers(), gui.log());
    CHECK(gui.stop() == 0);
    CHECK(last_session(gui).settings.length == 5);
}
