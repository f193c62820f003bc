// The soak: its memory-growth figure on known samples, a short in-process run through every
// preset, and the command line's checks of --soak. Nothing here asserts on wall time.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/presets.hpp"
#include "live/resident_memory.hpp"
#include "soak/memory_growth.hpp"
#include "soak/soak.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

using rl::soak::MemorySample;

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');)
        cells.push_back(cell);
    return cells;
}

void check_usage_error(const rl_test::AppRun& r, const std::string& mention) {
    CHECK(r.status == 2);
    CHECK_MESSAGE(rl_test::lines_of(r.err).size() == 1, r.err);
    CHECK_MESSAGE(r.err.find(mention) != std::string::npos, r.err);
}

}  // namespace

TEST_CASE("soak: growth compares the median just after the warm-up with the last tenth") {
    // 0..100 s: 100 MB up to 20 s (warm-up), 110 MB until 90 s, then 111 MB; one outlier in each
    // window that the medians must ignore.
    std::vector<MemorySample> samples;
    for (int t = 0; t <= 100; ++t) {
        double mb = t < 20 ? 100.0 : (t < 90 ? 110.0 : 111.0);
        if (t == 25 || t == 95) mb = 500.0;
        samples.push_back({static_cast<double>(t), mb * 1e6});
    }
    const rl::soak::MemoryGrowth g = rl::soak::memory_growth(samples, 20.0);
    CHECK(g.warmup_samples == 11);  // 20 .. 30 s
    CHECK(g.end_samples == 11);     // 90 .. 100 s
    CHECK(g.warmup_bytes == doctest::Approx(110e6));
    CHECK(g.end_bytes == doctest::Approx(111e6));
    CHECK(g.growth == doctest::Approx(1.0 / 110.0));

    // A warm-up that ends after the last sample still gives a figure: the last sample's.
    const rl::soak::MemoryGrowth late = rl::soak::memory_growth(samples, 1000.0);
    CHECK(late.warmup_samples == 1);
    CHECK(late.warmup_bytes == doctest::Approx(111e6));
    CHECK(rl::soak::memory_growth({}, 0.0).growth == 0.0);

    // A cycle longer than a tenth widens both windows to a whole cycle: 20 .. 50 s and 70 .. 100 s.
    const rl::soak::MemoryGrowth cycle = rl::soak::memory_growth(samples, 20.0, 30.0);
    CHECK(cycle.warmup_samples == 31);
    CHECK(cycle.end_samples == 31);
    CHECK(cycle.warmup_bytes == doctest::Approx(110e6));
    CHECK(cycle.end_bytes == doctest::Approx(110e6));
}

TEST_CASE("soak: resident memory is read and positive") {
    const std::optional<std::size_t> bytes = rl::live::resident_bytes();
    REQUIRE(bytes.has_value());
    CHECK(*bytes > 0u);
}

TEST_CASE("soak: a short soak visits every preset and writes soak.csv") {
    rl_test::TempDir dir;
    rl::soak::SoakOptions options;
    options.minutes = 0.05;  // 3 s, and at least three cycles whatever that takes
    options.live = {"cpu", 2};
    options.out_dir = dir.path;
    options.phase_seconds = 0.0;  // one frame per phase
    long long drawn_for = 0;
    options.draw_plots = [&drawn_for](const rl::live::Results& r) {
        drawn_for += r.settings.actions.empty() ? 0 : 1;
        return std::size_t{5};
    };
    std::ostringstream out;
    const rl::soak::SoakReport report = rl::soak::run_soak(options, out);
    INFO(out.str());

    std::set<std::string> presets;
    for (const rl::io::PresetFile& p : rl::io::list_presets(rl::io::find_asset_dir()))
        presets.insert(p.name);
    REQUIRE(presets.size() >= 2);
    CHECK(std::set<std::string>(report.presets.begin(), report.presets.end()) == presets);
    CHECK(std::set<std::string>(report.visited.begin(), report.visited.end()) == presets);
    CHECK(report.cycles >= 3);
    CHECK(report.problems.empty());
    CHECK(report.ticks > 0);
    CHECK(report.documents >= report.cycles * static_cast<long long>(presets.size()));
    CHECK(drawn_for > 0);
    CHECK(report.plot_draws == 5 * drawn_for);
    CHECK(report.start_bytes > 0.0);
    CHECK(report.growth.warmup_bytes > 0.0);
    CHECK(report.growth.end_bytes > 0.0);
    CHECK(std::isfinite(report.growth.growth));
    CHECK(report.warmup_end <= report.seconds);

    const std::vector<std::string> lines =
        rl_test::lines_of(rl_test::read_text(dir.path / "soak.csv"));
    REQUIRE(lines.size() >= 3);
    CHECK(lines.front() == "seconds,rss_bytes,cycle,preset");
    double last_time = -1.0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> cells = split(lines[i]);
        REQUIRE(cells.size() == 4);
        const double t = std::stod(cells[0]);
        CHECK(t > last_time);
        last_time = t;
        CHECK(std::stod(cells[1]) > 0.0);
        CHECK(std::stoi(cells[2]) >= 1);
        CHECK(std::stoi(cells[2]) <= report.cycles);
        CHECK(presets.count(cells[3]) == 1);
    }
    CHECK(last_time == doctest::Approx(report.seconds));
}

TEST_CASE("cli: --soak takes minutes above 0, only headless, with --out") {
    rl_test::TempDir dir;
    const std::string out = " --out '" + (dir.path / "out").string() + "'";
    const std::string run = "--headless --engine cpu --threads 2 ";
    check_usage_error(rl_test::run_app(run + "--soak 0" + out, dir), "--soak 0");
    check_usage_error(rl_test::run_app(run + "--soak -1" + out, dir), "--soak");
    check_usage_error(rl_test::run_app(run + "--soak 1e9" + out, dir), "at most 1440");
    check_usage_error(rl_test::run_app(run + "--soak lots" + out, dir), "--soak");
    check_usage_error(rl_test::run_app(run + "--soak 0.5", dir), "--out");
    check_usage_error(rl_test::run_app(run + "--soak 0.5 --set K=2" + out, dir), "--set");
    check_usage_error(rl_test::run_app("--soak 0.5", dir, rl_test::kNoDisplay), "--headless");
    CHECK_FALSE(std::filesystem::exists(dir.path / "out" / "soak.csv"));
}
