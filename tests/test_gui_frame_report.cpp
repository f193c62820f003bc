// What a scripted window run reports of its frames (bench/frame_bench.sh reads it): the median
// and 95th percentile of the work, of the time between frames and of the engine's tick, and the
// last frame's draw data, for a lockstep run and for a free-running one.

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

struct FrameReport {
    double work_median = 0, work_p95 = 0, between_median = 0, between_p95 = 0;
    double tick_median = 0, tick_p95 = 0;
    int vertices = 0, draw_calls = 0;
};

// The number that follows `label` at or after `from` in `text`; moves `from` past it. Scanned by
// hand: std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer builds.
double number_after(const std::string& text, const std::string& label, std::size_t& from) {
    const std::size_t at = text.find(label, from);
    REQUIRE_MESSAGE(at != std::string::npos, "no \"" << label << "\" in the report");
    const char* begin = text.c_str() + at + label.size();
    char* stop = nullptr;
    const double value = std::strtod(begin, &stop);
    REQUIRE_MESSAGE(stop != begin, "no number after \"" << label << "\"");
    from = static_cast<std::size_t>(stop - text.c_str());
    return value;
}

FrameReport read_report(const std::string& out) {
    FrameReport r;
    std::size_t at = out.find("frame times: ");
    REQUIRE(at != std::string::npos);
    r.work_median = number_after(out, "work median ", at);
    r.work_p95 = number_after(out, " ms, p95 ", at);
    r.between_median = number_after(out, " ms; between frames median ", at);
    r.between_p95 = number_after(out, " ms, p95 ", at);
    r.tick_median = number_after(out, " ms; engine tick median ", at);
    r.tick_p95 = number_after(out, " ms, p95 ", at);
    at = out.find("draw data: ");
    REQUIRE(at != std::string::npos);
    r.vertices = static_cast<int>(number_after(out, "draw data: ", at));
    number_after(out, " vertices, ", at);
    r.draw_calls = static_cast<int>(number_after(out, " indices, ", at));
    REQUIRE(out.compare(at, 11, " draw calls") == 0);
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
