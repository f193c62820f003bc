// Every preset's window at the sizes a class uses (1024x768 and 1280x720 in presenter mode,
// 1600x900 as a student's screen), at every lesson step: no two texts of the plots
// overlap, none leaves its plot, every plot lies in the window, each data area has a stated least
// size, and on a small screen the plots the step is about are the ones drawn. The window reports
// the boxes (RL_LAYOUT_REPORT, app/shell/gui_main.cpp); the plot module measures every text it
// draws.

#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "io/presets.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

using rl_test::Box;

// A data area smaller than this cannot show a trend from the back of a room; the bars beside the
// policy plot are a column per action and may be narrower.
constexpr int kMinAreaWidth = 200;
constexpr int kMinAreaHeight = 100;
constexpr int kMinBarsWidth = 60;

struct Text {
    std::string plot, text;
    Box box;
};

struct Report {
    std::map<std::string, Box> plots, areas;
    std::vector<Text> texts;
};

Box read_box(const std::string& numbers) {
    std::istringstream in(numbers);
    Box b;
    in >> b.x0 >> b.y0 >> b.x1 >> b.y1;
    return b;
}

Report read_report(const std::string& out) {
    Report r;
    r.plots = rl_test::plot_boxes(out);
    for (const std::string& line : rl_test::lines_of(out)) {
        const bool area = line.rfind("area ", 0) == 0;
        const bool text = line.rfind("text ", 0) == 0;
        if (!area && !text) continue;
        const std::size_t bar = line.find('|');
        const std::size_t bar2 = line.find('|', bar + 1);
        REQUIRE(bar != std::string::npos);
        const std::string name = line.substr(5, bar - 5);
        if (area) {
            r.areas[name] = read_box(line.substr(bar + 1));
        } else {
            REQUIRE(bar2 != std::string::npos);
            r.texts.push_back(
                {name, line.substr(bar2 + 1), read_box(line.substr(bar + 1, bar2 - bar - 1))});
        }
    }
    return r;
}

bool overlap(const Box& a, const Box& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

bool inside(const Box& inner, const Box& outer) {
    return inner.x0 >= outer.x0 - 1 && inner.y0 >= outer.y0 - 1 && inner.x1 <= outer.x1 + 1 &&
           inner.y1 <= outer.y1 + 1;
}

struct Screen {
    int width, height;
    bool presenter;
};

const Screen kScreens[] = {{1024, 768, true}, {1280, 720, true}, {1600, 900, false}};

// The plot ids the window draws for the lesson's plot names, in the order of kLessonPlotNames
// (This step is a panel, not a plot).
const char* const kPlotIds[] = {"Policy", "Gradient", "Reward", "SNR", "", "Credit", "Length"};
static_assert(std::size(kPlotIds) == std::size(rl::io::kLessonPlotNames));

void check_layout(const rl::io::PresetFile& preset, const Screen& screen, int lesson_step,
                  const std::vector<std::string>& focus, const std::string& extra) {
    const std::string size = std::to_string(screen.width) + "x" + std::to_string(screen.height);
    INFO(preset.name << " at " << size << (screen.presenter ? " presenter" : "") << ", lesson step "
                     << lesson_step);
    rl_test::TempDir dir("rl-layout");
    const rl_test::AppRun run = rl_test::run_app(
        "--preset " + preset.name + " --engine cpu --frames 20 --size " + size +
            (screen.presenter ? " --presenter" : "") +
            (lesson_step > 0 ? " --lesson-step " + std::to_string(lesson_step) : "") + extra,
        dir, "RL_LAYOUT_REPORT=1 xvfb-run -a -s '-screen 0 1920x1200x24'");
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    const Report r = read_report(run.out);
    // A small screen may show This step alone, when the step is about it.
    const bool step_alone = !focus.empty() && focus.front() == "step" && r.plots.empty();
    if (!step_alone) {
        REQUIRE(!r.plots.empty());
        REQUIRE(!r.texts.empty());
    }
    const Box window{0, 0, screen.width, screen.height};
    for (const auto& [name, box] : r.plots) {
        INFO("plot " << name);
        CHECK(inside(box, window));
        const auto area = r.areas.find(name);
        REQUIRE(area != r.areas.end());
        CHECK(area->second.x1 - area->second.x0 >=
              (name == "Policy now" ? kMinBarsWidth : kMinAreaWidth));
        CHECK(area->second.y1 - area->second.y0 >= kMinAreaHeight);
    }
    for (std::size_t i = 0; i < r.texts.size(); ++i) {
        const Text& t = r.texts[i];
        INFO("text '" << t.text << "' of " << t.plot << " at " << t.box.x0 << "," << t.box.y0
                      << " - " << t.box.x1 << "," << t.box.y1);
        const auto plot = r.plots.find(t.plot);
        REQUIRE(plot != r.plots.end());
        CHECK(inside(t.box, plot->second));
        for (std::size_t j = i + 1; j < r.texts.size(); ++j) {
            INFO("and '" << r.texts[j].text << "' of " << r.texts[j].plot);
            CHECK_FALSE(overlap(t.box, r.texts[j].box));
        }
    }
    // When not all four fit, the step's first plot is among those drawn.
    if (r.plots.size() < 4 && !focus.empty() && focus.front() != "step") {
        const auto* name = std::find(std::begin(rl::io::kLessonPlotNames),
                                     std::end(rl::io::kLessonPlotNames), focus.front());
        REQUIRE(name != std::end(rl::io::kLessonPlotNames));
        CHECK(r.plots.count(kPlotIds[name - std::begin(rl::io::kLessonPlotNames)]) == 1);
    }
}

void check_preset_layouts(const std::string& name) {
    std::vector<rl::io::PresetFile> presets = rl::io::list_presets({RL_TEST_ASSET_DIR, "test"});
    for (rl::io::PresetFile& p : rl::io::list_episode_presets({RL_TEST_ASSET_DIR, "test"}))
        presets.push_back(std::move(p));
    const auto it = std::find_if(presets.begin(), presets.end(),
                                 [&](const rl::io::PresetFile& p) { return p.name == name; });
    REQUIRE(it != presets.end());
    const rl::io::SessionFileResult file = rl::io::read_session_file(it->path);
    REQUIRE(file);
    // An episode lesson's layout is the same with fewer runs and a smaller cloud; at the
    // preset's sizes its K = 256 step alone takes minutes under the sanitizers.
    const std::string extra =
        rl::core::is_episodic(file.document->settings) ? " --set runs=16 --set M=512" : "";
    const std::vector<rl::io::LessonStep>& steps = file.document->lesson.steps;
    for (const Screen& screen : kScreens) {
        // A preset without a lesson: the window as it opens.
        if (steps.empty()) check_layout(*it, screen, 0, {}, extra);
        for (int step = 1; step <= static_cast<int>(steps.size()); ++step) {
            std::vector<std::string> focus;
            for (rl::io::LessonPlot p : steps[static_cast<std::size_t>(step - 1)].focus)
                focus.emplace_back(rl::io::kLessonPlotNames[static_cast<std::size_t>(p)]);
            CHECK_MESSAGE(!focus.empty(), name << " step " << step << " names no focus plot");
            check_layout(*it, screen, step, focus, extra);
        }
    }
}

}  // namespace

TEST_CASE("gui layout: yes-no-maybe fits every screen") {
    check_preset_layouts("yes-no-maybe");
}
TEST_CASE("gui layout: restaurants fits every screen") {
    check_preset_layouts("restaurants");
}
TEST_CASE("gui layout: restaurants-shifted fits every screen") {
    check_preset_layouts("restaurants-shifted");
}
TEST_CASE("gui layout: sigmoid-bandit fits every screen") {
    check_preset_layouts("sigmoid-bandit");
}
TEST_CASE("gui layout: binary-verifier fits every screen") {
    check_preset_layouts("binary-verifier");
}
TEST_CASE("gui layout: kl-anchor fits every screen") {
    check_preset_layouts("kl-anchor");
}
TEST_CASE("gui layout: testbed-10 fits every screen") {
    check_preset_layouts("testbed-10");
}
TEST_CASE("gui layout: vocab-50k fits every screen") {
    check_preset_layouts("vocab-50k");
}
TEST_CASE("gui layout: token-chain fits every screen") {
    check_preset_layouts("token-chain");
}
TEST_CASE("gui layout: all-correct fits every screen") {
    check_preset_layouts("all-correct");
}
TEST_CASE("gui layout: one-bad-token fits every screen") {
    check_preset_layouts("one-bad-token");
}
TEST_CASE("gui layout: short-corridor fits every screen") {
    check_preset_layouts("short-corridor");
}
