// Each lesson step whose text claims a change you can see ("the ellipse shrinks", "the cloud
// balloons", "SNR jumps") is shown as the window shows it, its plots are drawn, and the change is
// measured on the drawing: the area in pixels of the exact 1-sigma ellipse against the faint one
// of the step before (the gradient plot holds axes that fit both, so areas compare), and the
// height of the current SNR curve at the step's K against the step before's curve at its K.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "app/views/baseline_style.hpp"
#include "app/views/headless_plots.hpp"
#include "control/lab.hpp"
#include "io/presets.hpp"
#include "test_live_support.hpp"

namespace {

namespace plot = rl::plot;

enum class Claim { kShrinks, kGrows, kSnrRises, kSnrFalls };

struct Case {
    const char* preset;
    int step;  // 0-based lesson step
    Claim claim;
    const char* text;  // the words of the claim, to find in the step's text
};

// The claims the lesson texts make about the gradient cloud and the SNR plot.
const Case kCases[] = {
    {"yes-no-maybe", 3, Claim::kShrinks, "the ellipse shrinks"},
    {"yes-no-maybe", 3, Claim::kSnrRises, "SNR 0.30 → 1.36"},
    {"restaurants", 2, Claim::kSnrRises, "the SNR jumps from 0.08 to 1.0"},
    {"restaurants-shifted", 2, Claim::kGrows, "the cloud balloons"},
    {"restaurants-shifted", 2, Claim::kSnrFalls, "SNR 0.97 → 0.14"},
    {"binary-verifier", 2, Claim::kShrinks, "The cloud shrinks"},
    {"binary-verifier", 2, Claim::kSnrRises, "SNR goes 0.23 → 1.84"},
    {"binary-verifier", 4, Claim::kGrows, "at twice the size"},
};

const plot::Recording* find_plot(const std::vector<rl::app::DrawnPlot>& plots, const char* name) {
    for (const rl::app::DrawnPlot& p : plots)
        if (p.name == name) return &p.recording;
    return nullptr;
}

// The first series whose label starts with `prefix`.
int series_index(const plot::Recording& rec, const std::string& prefix) {
    for (std::size_t i = 0; i < rec.series.size(); ++i)
        if (std::string(rec.label(rec.series[i])).rfind(prefix, 0) == 0) return static_cast<int>(i);
    return -1;
}

// The area, in pixels, enclosed by the series' drawn outline (the shoelace formula over its
// polylines, which for an ellipse inside the view is one closed loop).
double drawn_area(const plot::Recording& rec, int series) {
    double twice = 0.0;
    for (const plot::Primitive& p : rec.primitives) {
        if (p.series != series || p.kind != plot::PrimitiveKind::kPolyline) continue;
        const auto pts = rec.primitive_points(p);
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const plot::Point& a = pts[i];
            const plot::Point& b = pts[(i + 1) % pts.size()];
            twice += static_cast<double>(a.x) * b.y - static_cast<double>(b.x) * a.y;
        }
    }
    return 0.5 * std::abs(twice);
}

// The pixel row where the series' drawn line crosses the column of `K` on the log x axis:
// smaller is higher on the screen.
double row_at(const plot::Recording& rec, int series, int K) {
    const plot::Box& a = rec.plot_area;
    const double column = a.x0 + (std::log10(K) - std::log10(rec.x.min)) /
                                     (std::log10(rec.x.max) - std::log10(rec.x.min)) * a.width();
    double best = INFINITY, row = NAN;
    for (const plot::Primitive& p : rec.primitives) {
        if (p.series != series || p.kind != plot::PrimitiveKind::kPolyline) continue;
        for (const plot::Point& q : rec.primitive_points(p)) {
            if (std::abs(q.x - column) < best) {
                best = std::abs(q.x - column);
                row = q.y;
            }
        }
    }
    // The curves have a point at every K the steps use (1, 2, 8, 64, ...).
    return best <= 1.0 ? row : NAN;
}

}  // namespace

TEST_CASE("lesson visuals: every claimed change is measured on the drawn plot") {
    const rl::io::AssetDir assets{RL_TEST_ASSET_DIR, "test"};
    for (const Case& c : kCases) {
        INFO(std::string(c.preset) << " step " << c.step + 1 << ": " << c.text);
        const rl::io::SessionFileResult file = rl::io::load_preset_file(assets, c.preset);
        REQUIRE(file);
        const rl::io::Lesson& lesson = file.document->lesson;
        REQUIRE(c.step < static_cast<int>(lesson.steps.size()));
        CHECK(lesson.steps[static_cast<std::size_t>(c.step)].text.find(c.text) !=
              std::string::npos);

        rl::control::Lab lab(file.document->settings, rl_test::cpu_options());
        lab.set_lesson_paced(false);
        lab.set_lesson(lesson, file.document->settings, -1);
        REQUIRE(lab.show_lesson_step(c.step) == "");
        // The step's settings reach the runner, its reset runs, and the cloud is drawn paused.
        lab.transport().set_playing(false);
        for (int i = 0; i < 3; ++i)
            lab.transport().tick(true);
        lab.transport().wait_idle();
        const std::shared_ptr<const rl::live::Results> r = lab.results_a();
        REQUIRE(r->cloud_valid);
        REQUIRE(r->before.valid);
        CHECK(r->before.label == "step " + std::to_string(c.step));

        const std::vector<rl::app::DrawnPlot> plots = rl::app::draw_plots_headless(*r, 900, 600);
        const std::string before = "before (step " + std::to_string(c.step) + ")";
        if (c.claim == Claim::kShrinks || c.claim == Claim::kGrows) {
            const plot::Recording* g = find_plot(plots, "Gradient");
            REQUIRE(g != nullptr);
            const int now = series_index(*g, "exact 1σ");
            const int then = series_index(*g, before);
            REQUIRE(now >= 0);
            REQUIRE(then >= 0);
            const double a_now = drawn_area(*g, now), a_then = drawn_area(*g, then);
            MESSAGE(std::string(c.preset) << " step " << c.step + 1 << ": 1-sigma ellipse "
                                          << a_then << " px² before, " << a_now << " px² now");
            REQUIRE(a_then > 0.0);
            // The change the text names: the area at least halves or doubles (every case here
            // changes the variance by a factor of 2 or more).
            if (c.claim == Claim::kShrinks) CHECK(a_now < 0.5 * a_then);
            if (c.claim == Claim::kGrows) CHECK(a_now > 2.0 * a_then);
        } else {
            const plot::Recording* s = find_plot(plots, "SNR");
            REQUIRE(s != nullptr);
            const int now = series_index(
                *s, rl::app::baseline_name(r->settings.estimator.baseline) + " (current)");
            const int then = series_index(*s, before);
            REQUIRE(now >= 0);
            REQUIRE(then >= 0);
            // Each at its own K: a step that changes K moves along the curve.
            const double y_now = row_at(*s, now, r->settings.estimator.K);
            const double y_then = row_at(*s, then, r->before.K);
            MESSAGE(std::string(c.preset)
                    << " step " << c.step + 1 << ": SNR drawn at row " << y_then
                    << " before (K = " << r->before.K << "), " << y_now
                    << " now (K = " << r->settings.estimator.K << ")");
            REQUIRE(std::isfinite(y_now));
            REQUIRE(std::isfinite(y_then));
            if (c.claim == Claim::kSnrRises) CHECK(y_now < y_then - 10.0);
            if (c.claim == Claim::kSnrFalls) CHECK(y_now > y_then + 10.0);
        }
    }
}

TEST_CASE("lesson visuals: no ghost where the step before sampled just the same") {
    const rl::io::AssetDir assets{RL_TEST_ASSET_DIR, "test"};
    const rl::io::SessionFileResult file = rl::io::load_preset_file(assets, "yes-no-maybe");
    REQUIRE(file);
    rl::control::Lab lab(file.document->settings, rl_test::cpu_options());
    lab.set_lesson_paced(false);
    lab.set_lesson(file.document->lesson, file.document->settings, -1);
    const auto shown = [&](int step) {
        REQUIRE(lab.show_lesson_step(step) == "");
        lab.transport().set_playing(false);
        for (int i = 0; i < 3; ++i)
            lab.transport().tick(true);
        lab.transport().wait_idle();
        return lab.results_a();
    };
    // Step 2 changes nothing the cloud depends on (it only says what to look at): no ghost, and
    // the gradient plot fits its own cloud.
    CHECK_FALSE(shown(1)->before.valid);
    CHECK(shown(1)->before.snr.K.empty());
    // Step 4 adds a baseline: the ghost of step 3 (no baseline) and its curve are there.
    const std::shared_ptr<const rl::live::Results> r = shown(3);
    CHECK(r->before.valid);
    CHECK_FALSE(r->before.snr.K.empty());
}
