// Episodes in the window, driven as a person drives it: a sequence preset picked from the list,
// stepped with the keyboard, its length typed into the problem's controls, and the session kept
// for next time.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "core/settings.hpp"
#include "io/session_file.hpp"
#include "support/gui_driver.hpp"
#include "support/png_check.hpp"
#include "support/temp_dir.hpp"
#include "support/time_scale.hpp"

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

TEST_CASE("gui driven: one-bad-token's lesson, stepped with Next and S, blames in red") {
    TempDir dir("rl-gui-episodes");
    GuiDriver gui("--preset yes-no-maybe --engine cpu", dir);
    REQUIRE(gui.answers(10));
    gui.click("preset");
    REQUIRE(gui.wait_for_item("preset/one-bad-token"));
    gui.click("preset/one-bad-token");
    REQUIRE_MESSAGE(gui.wait_for_message("Loaded the lesson"), gui.probe().status);
    // Begin (step 1: b = E[R]), then Next (step 2, "Blame where the error came": rewards-to-go
    // less the prefix value), each restarting the runs, paused.
    const auto restarts = [](const Probe& p) {
        return std::count_if(p.messages.begin(), p.messages.end(), [](const std::string& m) {
            return m.find("the runs started over") != std::string::npos;
        });
    };
    gui.click("Lesson/Next");
    REQUIRE_MESSAGE(gui.wait_for([&](const Probe& p) { return restarts(p) == 1; }, 10.0),
                    gui.probe().status);
    gui.click("Lesson/Next");
    REQUIRE_MESSAGE(gui.wait_for([&](const Probe& p) { return restarts(p) == 2; }, 10.0),
                    gui.probe().status);
    REQUIRE(gui.wait_for_status("paused"));
    const int before = steps_shown(gui.probe());
    gui.key("s");
    REQUIRE(gui.wait_for([&](const Probe& p) { return steps_shown(p) == before + 1; }, 10.0));
    REQUIRE(gui.wait_for_item("plot/Credit"));
    // The first answer of step 1 (the seed's) holds the error: its cells under the run's
    // weights and the prefix value are the scale's deep red (0.80, 0.13, 0.15 at the deepest).
    // The screen can lag the probe by a frame or two (much more under ThreadSanitizer), so the
    // shot is taken again, as a person would look again, until the strip shows or time is up.
    const auto red_pixels = [&] {
        gui.screenshot(dir.path / "blame.png");
        const rl_test::Image shot = rl_test::load_png((dir.path / "blame.png").string());
        REQUIRE(shot.pixels != nullptr);
        const rl_test::ProbeBox box = gui.probe().items.at("plot/Credit");
        int count = 0;
        for (int y = std::max(box.y0, 0); y < std::min(box.y1, shot.height); ++y)
            for (int x = std::max(box.x0, 0); x < std::min(box.x1, shot.width); ++x) {
                const unsigned char* p = shot.at(x, y);
                count += p[0] > 150 && p[1] < 110 && p[2] < 110 ? 1 : 0;
            }
        return count;
    };
    const auto deadline = std::chrono::steady_clock::now() + rl_test::scaled_seconds(10.0);
    int red = red_pixels();
    while (red <= 400 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        red = red_pixels();
    }
    MESSAGE("credit strip: " << red << " deep red pixels");
    CHECK(red > 400);
    CHECK_MESSAGE(gui.answers(), gui.log());
    CHECK(gui.stop() == 0);
}
