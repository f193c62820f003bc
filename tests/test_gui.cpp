// The real window under Xvfb: every preset runs 60 frames with training playing and writes a
// screenshot, which is checked for its size, for not being blank, and for drawn data inside each
// of the four plots (the app prints where it drew them).

#include <doctest/doctest.h>
#include <stb_image.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/presets.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

using rl_test::TempDir;

struct Image {
    int width = 0, height = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels{nullptr, stbi_image_free};
    const unsigned char* at(int x, int y) const {
        return pixels.get() + (static_cast<std::size_t>(y) * width + x) * 3;
    }
};

Image load_png(const std::string& path) {
    Image image;
    int channels = 0;
    image.pixels.reset(stbi_load(path.c_str(), &image.width, &image.height, &channels, 3));
    return image;
}

struct Box {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// "plot NAME x0 y0 x1 y1" lines; NAME may contain spaces ("Policy now").
std::map<std::string, Box> plot_boxes(const std::string& out) {
    std::map<std::string, Box> boxes;
    for (const std::string& line : rl_test::lines_of(out)) {
        if (line.rfind("plot ", 0) != 0) continue;
        std::istringstream in(line.substr(5));
        std::string word, name;
        std::vector<std::string> words;
        while (in >> word)
            words.push_back(word);
        if (words.size() < 5) continue;
        for (std::size_t i = 0; i + 4 < words.size(); ++i)
            name += (i ? " " : "") + words[i];
        const std::size_t n = words.size();
        boxes[name] = {std::stoi(words[n - 4]), std::stoi(words[n - 3]), std::stoi(words[n - 2]),
                       std::stoi(words[n - 1])};
    }
    return boxes;
}

// Pixels of a clear hue: the plotted series use the palette's colours, while frames, grids, text
// and panels are greys. Axes alone would leave a plot with almost none.
int coloured_pixels(const Image& image, const Box& b) {
    int count = 0;
    for (int y = std::max(b.y0, 0); y < std::min(b.y1, image.height); ++y)
        for (int x = std::max(b.x0, 0); x < std::min(b.x1, image.width); ++x) {
            const unsigned char* p = image.at(x, y);
            const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
            if (hi - lo > 60) ++count;
        }
    return count;
}

int distinct_colours(const Image& image) {
    std::set<unsigned> colours;
    for (int y = 0; y < image.height; y += 2)
        for (int x = 0; x < image.width; x += 2) {
            const unsigned char* p = image.at(x, y);
            colours.insert(p[0] << 16 | p[1] << 8 | p[2]);
        }
    return static_cast<int>(colours.size());
}

// The plots a screenshot must show; `optional` ones give way when large type leaves too little
// room, so they are checked only when drawn.
struct ExpectedPlots {
    std::vector<std::string> required, optional;
};

// The four plots; the current-policy bars beside the policy plot give way to large type.
const ExpectedPlots kSinglePlots{{"Policy", "Gradient", "SNR", "Reward"}, {"Policy now"}};
// Compare mode: both scatters side by side; the policy plot gives way to large type.
const ExpectedPlots kComparePlots{{"Gradient A", "Gradient B", "SNR", "Reward"}, {"Policy"}};

void check_preset_screenshot(const std::string& preset, const std::string& extra = "",
                             const ExpectedPlots& expected = kSinglePlots) {
    TempDir dir("rl-gui");
    const std::string png = (dir.path / (preset + ".png")).string();
    const rl_test::AppRun run = rl_test::run_app(
        "--preset " + preset + " --engine cpu --frames 60 --size 1280x800 --screenshot '" + png +
            "' " + extra,
        dir, "xvfb-run -a -s '-screen 0 1600x1000x24'");
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    MESSAGE(preset << ": " << rl_test::lines_of(run.out).front());

    const Image image = load_png(png);
    REQUIRE(image.pixels != nullptr);
    CHECK(image.width == 1280);
    CHECK(image.height == 800);
    // A blank or single-colour window has a handful of colours; a drawn one has hundreds.
    CHECK(distinct_colours(image) > 200);

    const std::map<std::string, Box> boxes = plot_boxes(run.out);
    // Without large type every plot has its room.
    const bool large_type = extra.find("--presenter") != std::string::npos;
    std::vector<std::string> names = expected.required;
    names.insert(names.end(), expected.optional.begin(), expected.optional.end());
    for (const std::string& name : names) {
        INFO("plot " << name);
        const auto it = boxes.find(name);
        const bool optional =
            std::count(expected.optional.begin(), expected.optional.end(), name) > 0;
        if (optional && large_type && it == boxes.end()) continue;
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

TEST_CASE("gui: presenter mode screenshot") {
    check_preset_screenshot("yes-no-maybe", "--presenter");
}

TEST_CASE("gui: compare mode screenshot shows both scatters") {
    check_preset_screenshot("yes-no-maybe", "--compare baseline=rloo", kComparePlots);
}

TEST_CASE("gui: compare mode in presenter mode") {
    check_preset_screenshot("yes-no-maybe", "--compare baseline=rloo --presenter", kComparePlots);
}

TEST_CASE("gui: every preset on disk has a screenshot test") {
    const std::set<std::string> tested = {
        "yes-no-maybe",    "restaurants", "restaurants-shifted", "sigmoid-bandit",
        "binary-verifier", "kl-anchor",   "testbed-10"};
    for (const rl::io::PresetFile& p : rl::io::list_presets({RL_TEST_ASSET_DIR, "test"}))
        CHECK_MESSAGE(tested.count(p.name) == 1, p.name << " has no screenshot test");
}
