// The real window under Xvfb: every preset runs 60 frames with training playing and writes a
// screenshot, which is checked for its size, for not being blank, and for drawn data inside each
// of the four plots (the app prints where it drew them).

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "io/presets.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

using rl_test::Box;
using rl_test::coloured_pixels;
using rl_test::distinct_colours;
using rl_test::Image;
using rl_test::load_png;
using rl_test::plot_boxes;
using rl_test::TempDir;

// The plots a screenshot must show; `optional` ones give way when large type leaves too little
// room, so they are checked only when drawn.
struct ExpectedPlots {
    std::vector<std::string> required, optional;
};

// The four plots; the current-policy bars beside the policy plot give way to large type.
const ExpectedPlots kSinglePlots{{"Policy", "Gradient", "SNR", "Reward"}, {"Policy now"}};
// An episode problem's grid: the credit strip beside J, and for a token sequence SNR against T.
// The short corridor's SNR against K has no exact curve (more than 2^20 episodes to enumerate)
// and its measured points come while paused, so playing it draws only its frame there.
const ExpectedPlots kTablePlots{{"Policy", "Gradient", "Reward", "Credit"}, {}};
const ExpectedPlots kSequencePlots{{"Policy", "Gradient", "SNR", "Reward", "Credit", "Length"}, {}};
// Compare mode: both scatters side by side; the policy plot gives way to large type.
const ExpectedPlots kComparePlots{{"Gradient A", "Gradient B", "SNR", "Reward"}, {"Policy"}};

struct WindowSize {
    int width = 1280, height = 800;
};

void check_preset_screenshot(const std::string& preset, const std::string& extra = "",
                             const ExpectedPlots& expected = kSinglePlots, WindowSize size = {}) {
    const std::string size_arg = std::to_string(size.width) + "x" + std::to_string(size.height);
    TempDir dir("rl-gui");
    const std::string png = (dir.path / (preset + ".png")).string();
    const rl_test::AppRun run =
        rl_test::run_app("--preset " + preset + " --engine cpu --frames 60 --size " + size_arg +
                             " --screenshot '" + png + "' " + extra,
                         dir, "xvfb-run -a -s '-screen 0 1600x1000x24'");
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    MESSAGE(preset << ": " << rl_test::lines_of(run.out).front());

    const Image image = load_png(png);
    REQUIRE(image.pixels != nullptr);
    CHECK(image.width == size.width);
    CHECK(image.height == size.height);
    // A blank or single-colour window has a handful of colours; a drawn one has hundreds.
    CHECK(distinct_colours(image) > 200);

    const std::map<std::string, Box> boxes = plot_boxes(run.out);
    REQUIRE(!boxes.empty());
    // Without large type every plot has its room.
    const bool large_type = extra.find("--presenter") != std::string::npos;
    std::vector<std::string> names = expected.required;
    names.insert(names.end(), expected.optional.begin(), expected.optional.end());
    for (const std::string& name : names) {
        INFO("plot " << name);
        const auto it = boxes.find(name);
        // Large type on a small screen shows the lesson step's plots, the rest a click away
        // (tests/test_gui_layout.cpp checks which); the ones drawn are checked here.
        const bool optional =
            large_type || std::count(expected.optional.begin(), expected.optional.end(), name) > 0;
        if (optional && it == boxes.end()) continue;
        REQUIRE(it != boxes.end());
        const Box& b = it->second;
        CHECK(b.x1 - b.x0 > 100);
        CHECK(b.y1 - b.y0 > 100);
        CHECK(b.x0 >= 0);
        CHECK(b.x1 <= image.width);
        CHECK(b.y1 <= image.height);
        // Lines, bars, markers or the density image: at least a few hundred coloured pixels.
        CHECK(coloured_pixels(image, b) > 300);
    }
}

}  // namespace

TEST_CASE("gui: yes-no-maybe screenshot") {
    check_preset_screenshot("yes-no-maybe");
}
TEST_CASE("gui: restaurants screenshot") {
    check_preset_screenshot("restaurants");
}
TEST_CASE("gui: restaurants-shifted screenshot") {
    check_preset_screenshot("restaurants-shifted");
}
TEST_CASE("gui: sigmoid-bandit screenshot") {
    check_preset_screenshot("sigmoid-bandit");
}
TEST_CASE("gui: binary-verifier screenshot") {
    check_preset_screenshot("binary-verifier");
}
TEST_CASE("gui: kl-anchor screenshot") {
    check_preset_screenshot("kl-anchor");
}
TEST_CASE("gui: testbed-10 screenshot") {
    check_preset_screenshot("testbed-10");
}

TEST_CASE("gui: vocab-50k screenshot") {
    check_preset_screenshot("vocab-50k");
}

TEST_CASE("gui: presenter mode screenshot") {
    check_preset_screenshot("yes-no-maybe", "--presenter");
}

TEST_CASE("gui: compare mode screenshot shows both scatters") {
    // Five plots and the lesson strip: at the app's default size, as a class would see it.
    check_preset_screenshot("yes-no-maybe", "--compare baseline=rloo", kComparePlots, {1600, 900});
}

TEST_CASE("gui: compare mode in presenter mode") {
    check_preset_screenshot("yes-no-maybe", "--compare baseline=rloo --presenter", kComparePlots,
                            {1600, 900});
}

// The sequence presets as a student's screen shows them and as a projector does (there the
// lesson's plots, large, the rest a click away).
namespace {
void check_episode_screenshots(const std::string& preset, const ExpectedPlots& plots) {
    check_preset_screenshot(preset, "", plots, {1600, 900});
    check_preset_screenshot(preset, "--presenter", plots, {1280, 720});
}
}  // namespace

TEST_CASE("gui: token-chain screenshot, student's screen and projector") {
    check_episode_screenshots("token-chain", kSequencePlots);
}
TEST_CASE("gui: all-correct screenshot, student's screen and projector") {
    check_episode_screenshots("all-correct", kSequencePlots);
}
TEST_CASE("gui: one-bad-token screenshot, student's screen and projector") {
    check_episode_screenshots("one-bad-token", kSequencePlots);
}
TEST_CASE("gui: short-corridor screenshot, student's screen and projector") {
    check_episode_screenshots("short-corridor", kTablePlots);
}
TEST_CASE("gui: compare mode on a token sequence, full return against rewards-to-go") {
    check_preset_screenshot("token-chain", "--compare credit=reward_to_go", kComparePlots,
                            {1600, 900});
}

TEST_CASE("gui: every preset on disk has a screenshot test") {
    const std::set<std::string> tested = {
        "yes-no-maybe",    "restaurants", "restaurants-shifted", "sigmoid-bandit",
        "binary-verifier", "kl-anchor",   "testbed-10",          "vocab-50k",
        "token-chain",     "all-correct", "one-bad-token",       "short-corridor"};
    std::vector<rl::io::PresetFile> presets = rl::io::list_presets({RL_TEST_ASSET_DIR, "test"});
    for (rl::io::PresetFile& p : rl::io::list_episode_presets({RL_TEST_ASSET_DIR, "test"}))
        presets.push_back(std::move(p));
    for (const rl::io::PresetFile& p : presets)
        CHECK_MESSAGE(tested.count(p.name) == 1, p.name << " has no screenshot test");
}
