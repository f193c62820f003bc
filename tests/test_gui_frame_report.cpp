// What a scripted window run reports of its frames (bench/frame_bench.sh reads it): the median
// and 95th percentile of the work, of the time between frames and of the engine's tick, and the
// last frame's draw data, for a lockstep run and for a free-running one.

#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

struct FrameReport {
    double work_median = 0, work_p95 = 0, between_median = 0, between_p95 = 0;
    double tick_median = 0, tick_p95 = 0;
    int vertices = 0, draw_calls = 0;
};

FrameReport read_report(const std::string& out) {
    const std::regex times(
        "frame times: work median ([0-9.]+) ms, p95 ([0-9.]+) ms; between frames median "
        "([0-9.]+) ms, p95 ([0-9.]+) ms; engine tick median ([0-9.]+) ms, p95 ([0-9.]+) ms");
    const std::regex draw("draw data: ([0-9]+) vertices, [0-9]+ indices, ([0-9]+) draw calls");
    std::smatch m;
    FrameReport r;
    REQUIRE(std::regex_search(out, m, times));
    r.work_median = std::stod(m[1]);
    r.work_p95 = std::stod(m[2]);
    r.between_median = std::stod(m[3]);
    r.between_p95 = std::stod(m[4]);
    r.tick_median = std::stod(m[5]);
    r.tick_p95 = std::stod(m[6]);
    REQUIRE(std::regex_search(out, m, draw));
    r.vertices = std::stoi(m[1]);
    r.draw_calls = std::stoi(m[2]);
    return r;
}

void check_report(const std::string& extra) {
    rl_test::TempDir dir("rl-frame-report");
    const rl_test::AppRun run =
        rl_test::run_app("--preset yes-no-maybe --engine cpu --frames 40 --size 1280x720 " + extra,
                         dir, "xvfb-run -a -s '-screen 0 1280x720x24'");
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    const FrameReport r = read_report(run.out);
    // A frame did some work, and the 95th percentile is never below the median.
    CHECK(r.work_median > 0.0);
    CHECK(r.work_p95 >= r.work_median);
    // Frames are paced to 60 Hz, so the time between them is at least about 16.7 ms.
    CHECK(r.between_median >= 16.0);
    CHECK(r.between_p95 >= r.between_median);
    // The engine ticked (training plays), and its figures are a tick's, not the frame's.
    CHECK(r.tick_median > 0.0);
    CHECK(r.tick_p95 >= r.tick_median);
    // The window drew its panels and plots.
    CHECK(r.vertices > 1000);
    CHECK(r.draw_calls >= 5);
}

}  // namespace

TEST_CASE("gui frame report: a lockstep run reports its frame and tick distributions") {
    check_report("");
}

TEST_CASE("gui frame report: a free-running run reports them too") {
    check_report("--free-running");
}
