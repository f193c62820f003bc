// Exports from the real program: the window's PNG, each plot's PNG, SVG and CSV, a recorded PNG
// sequence (under Xvfb, through the same code the menus use), and --headless --svg on every
// preset. SVG is checked with xmllint; PNG sizes against the plot rectangles the app reports.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "io/export_names.hpp"
#include "io/presets.hpp"
#include "support/export_checks.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::TempDir;

const std::string kXvfb = "xvfb-run -a -s '-screen 0 1600x1000x24'";

std::vector<fs::path> files_in(const fs::path& dir, const std::string& ext) {
    std::vector<fs::path> found;
    if (!fs::is_directory(dir)) return found;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ext) found.push_back(e.path());
    return found;
}

// The file for plot `stem` ("policy-now"): <preset>_<stem>_<time>.<ext>.
std::vector<fs::path> files_for(const fs::path& dir, const std::string& preset,
                                const std::string& stem, const std::string& ext) {
    std::vector<fs::path> out;
    for (const fs::path& p : files_in(dir, ext)) {
        const std::string name = p.filename().string();
        if (name.rfind(preset + "_" + stem + "_", 0) == 0) out.push_back(p);
    }
    return out;
}

std::size_t line_count(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text)
        n += c == '\n';
    return n;
}

bool no_temporaries(const fs::path& dir) {
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir))
        if (e.path().filename().string().find(".tmp") != std::string::npos) return false;
    return true;
}

}  // namespace

TEST_CASE("export: the window and every plot as PNG SVG and CSV plus a recording") {
    TempDir dir("rl-export");
    const fs::path exports = dir.path / "exports";
    const rl_test::AppRun run = rl_test::run_app(
        "--preset yes-no-maybe --engine cpu --frames 24 --size 1280x800 --export '" +
            exports.string() + "' --record 6",
        dir, kXvfb);
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);

    // The window.
    const std::vector<fs::path> window = files_for(exports, "yes-no-maybe", "window", ".png");
    REQUIRE(window.size() == 1);
    const rl_test::Image shot = rl_test::load_png(window[0].string());
    REQUIRE(shot.pixels != nullptr);
    CHECK(shot.width == 1280);
    CHECK(shot.height == 800);
    CHECK(rl_test::distinct_colours(shot) > 200);

    // Each plot the app drew: a PNG of its rectangle with data in it, an SVG that parses and
    // names the plot's series, a CSV with the header and a row per data point.
    const std::map<std::string, rl_test::Box> boxes = rl_test::plot_boxes(run.out);
    REQUIRE(boxes.size() >= 4);
    for (const auto& [name, box] : boxes) {
        INFO("plot " << name);
        const std::string stem = rl::io::file_name_part(name);
        const std::vector<fs::path> png = files_for(exports, "yes-no-maybe", stem, ".png");
        REQUIRE(png.size() == 1);
        const rl_test::Image image = rl_test::load_png(png[0].string());
        REQUIRE(image.pixels != nullptr);
        CHECK(image.width == box.x1 - box.x0);
        CHECK(image.height == box.y1 - box.y0);
        CHECK(rl_test::coloured_pixels(image, {0, 0, image.width, image.height}) > 300);

        const std::vector<fs::path> svg = files_for(exports, "yes-no-maybe", stem, ".svg");
        REQUIRE(svg.size() == 1);
        CHECK(rl_test::xmllint_accepts(rl_test::read_text(svg[0])) == true);
        const std::string svg_text = rl_test::read_text(svg[0]);
        CHECK(svg_text.find("<svg") != std::string::npos);
        CHECK(svg_text.find("<text") != std::string::npos);

        const std::vector<fs::path> csv = files_for(exports, "yes-no-maybe", stem, ".csv");
        REQUIRE(csv.size() == 1);
        const std::string csv_text = rl_test::read_text(csv[0]);
        CHECK(csv_text.rfind("series,kind,index,x,y,lo,hi,value,category\n", 0) == 0);
        CHECK(rl_test::parse_csv(csv_text).size() == line_count(csv_text));
        CHECK(line_count(csv_text) > 1);
    }
    // Series names reach the files: the cloud's arrow and the policy's actions.
    const std::string gradient =
        rl_test::read_text(files_for(exports, "yes-no-maybe", "gradient", ".svg").at(0));
    CHECK(gradient.find("true gradient") != std::string::npos);
    const std::string policy_csv =
        rl_test::read_text(files_for(exports, "yes-no-maybe", "policy", ".csv").at(0));
    for (const char* action : {"yes", "no", "maybe"})
        CHECK(policy_csv.find(action) != std::string::npos);

    // The recording: every 6th of 24 frames, numbered from 1, each a whole window.
    std::vector<fs::path> folders;
    for (const fs::directory_entry& e : fs::directory_iterator(exports))
        if (e.is_directory()) folders.push_back(e.path());
    REQUIRE(folders.size() == 1);
    CHECK(folders[0].filename().string().rfind("yes-no-maybe_record_", 0) == 0);
    const std::vector<fs::path> frames = files_in(folders[0], ".png");
    CHECK(frames.size() == 4);
    CHECK(fs::exists(folders[0] / "frame_000001.png"));
    const rl_test::Image frame = rl_test::load_png((folders[0] / "frame_000001.png").string());
    CHECK(frame.width == 1280);
    CHECK(no_temporaries(exports));

    // A second run into the same folder adds files and replaces none.
    std::map<fs::path, std::string> before;
    for (const fs::path& p : files_in(exports, ".csv"))
        before[p] = rl_test::read_text(p);
    const rl_test::AppRun again = rl_test::run_app(
        "--preset yes-no-maybe --engine cpu --frames 4 --size 1280x800 --set lr=0.5 --export '" +
            exports.string() + "'",
        dir, kXvfb);
    REQUIRE(again.status == 0);
    CHECK(files_in(exports, ".csv").size() == 2 * before.size());
    for (const auto& [path, text] : before)
        CHECK(rl_test::read_text(path) == text);
}

TEST_CASE("export: a folder that cannot be made fails with a message and no files") {
    TempDir dir("rl-export-bad");
    const fs::path blocker = dir.path / "not-a-folder";
    std::ofstream(blocker) << "a file where the export folder should be\n";
    const rl_test::AppRun run =
        rl_test::run_app("--preset yes-no-maybe --engine cpu --frames 4 --size 800x600 --export '" +
                             (blocker / "exports").string() + "'",
                         dir, kXvfb);
    INFO("stdout: " << run.out);
    CHECK(run.status == 1);
    CHECK(run.out.find("Export failed") != std::string::npos);
    CHECK(run.out.find("not-a-folder") != std::string::npos);
    CHECK(rl_test::read_text(blocker) == "a file where the export folder should be\n");
    CHECK(no_temporaries(dir.path));
}

TEST_CASE("export: --export needs at least two frames") {
    TempDir dir("rl-export-args");
    const rl_test::AppRun run =
        rl_test::run_app("--frames 1 --export '" + dir.path.string() + "'", dir, kXvfb);
    CHECK(run.status == 2);
    CHECK(run.err.find("--export") != std::string::npos);
}

TEST_CASE("export: headless --svg draws every plot of every preset") {
    const std::vector<rl::io::PresetFile> presets =
        rl::io::list_presets({RL_TEST_ASSET_DIR, "test"});
    REQUIRE(presets.size() >= 7);
    for (const rl::io::PresetFile& preset : presets) {
        INFO("preset " << preset.name);
        TempDir dir("rl-svg");
        // Beside run_app's own files: --out may hold only what a run writes.
        const fs::path out = dir.path / "out";
        const rl_test::AppRun run = rl_test::run_app(
            "--headless --preset " + preset.name +
                " --engine cpu --set steps=30 --set runs=16 --svg --out '" + out.string() + "'",
            dir, rl_test::kNoDisplay);
        INFO("stderr: " << run.err);
        REQUIRE(run.status == 0);
        CHECK(fs::exists(out / "summary.csv"));
        for (const char* stem : {"policy", "gradient", "reward", "snr"}) {
            INFO(stem);
            const fs::path svg = out / (std::string(stem) + ".svg");
            REQUIRE(fs::exists(svg));
            CHECK(rl_test::xmllint_accepts(rl_test::read_text(svg)) == true);
            const std::string text = rl_test::read_text(svg);
            CHECK(text.find("<text") != std::string::npos);
            CHECK(text.size() > 2000);
        }
        CHECK(rl_test::read_text(out / "gradient.svg").find("true gradient") != std::string::npos);
        CHECK(rl_test::read_text(out / "snr.svg").find("Signal-to-noise") != std::string::npos);
    }
}

TEST_CASE("export: --svg is refused without --headless") {
    TempDir dir("rl-svg-args");
    const rl_test::AppRun run = rl_test::run_app("--svg", dir, rl_test::kNoDisplay);
    CHECK(run.status == 2);
    CHECK(run.err.find("--svg") != std::string::npos);
}

TEST_CASE("export: two identical scripted runs export identical plot data, the SNR plot's too") {
    // Long enough for the exact SNR curves to be redone while playing (every 30 frames).
    TempDir dir("rl-export-twice");
    std::vector<std::map<std::string, std::string>> runs;
    for (const char* name : {"first", "second"}) {
        const fs::path exports = dir.path / name;
        const rl_test::AppRun run = rl_test::run_app(
            "--preset yes-no-maybe --engine cpu --frames 75 --size 1280x800 --export '" +
                exports.string() + "'",
            dir, kXvfb);
        INFO(run.out << run.err);
        REQUIRE(run.status == 0);
        std::map<std::string, std::string> csv;
        for (const fs::path& p : files_in(exports, ".csv")) {
            // <preset>_<plot>_<time>.csv: the time differs, the plot names the file.
            const std::string file = p.filename().string();
            const std::size_t plot_end = file.rfind('_');
            csv[file.substr(0, plot_end)] = rl_test::read_text(p);
        }
        runs.push_back(std::move(csv));
    }
    REQUIRE(runs[0].size() >= 4);
    REQUIRE(runs[0].count("yes-no-maybe_snr") == 1);
    CHECK(runs[0].size() == runs[1].size());
    for (const auto& [plot, text] : runs[0]) {
        CAPTURE(plot);
        CHECK(text == runs[1][plot]);
    }
}
