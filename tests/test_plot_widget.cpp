// The plot widgets driven through their public API in a headless Dear ImGui context: what a frame
// records (series, primitives, fitted limits), and how the mouse zooms, pans, hovers and toggles
// legend entries.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "plot/csv_export.hpp"
#include "plot/plot.hpp"
#include "plot/recording.hpp"
#include "support/headless_imgui.hpp"

namespace {

namespace plot = rl::plot;
using rl_test::has_text;
using rl_test::HeadlessImGui;
using rl_test::screen_of;

const ImVec2 kSize{600, 400};

struct Data {
    std::vector<double> x, y;
    std::vector<float> sx, sy;
    Data() {
        for (int i = 0; i < 200; ++i) {
            x.push_back(i);
            y.push_back(std::sin(i * 0.05) * 3.0 + 1.0);
        }
        for (int i = 0; i < 50; ++i) {
            sx.push_back(static_cast<float>(i * 4));
            sy.push_back(static_cast<float>(-2.0 + 0.1 * i));
        }
    }
};

void draw_basic(const Data& d) {
    if (plot::BeginPlot("##basic", "Basic", kSize)) {
        plot::SetupAxis(plot::Axis::kX, {.label = "step"});
        plot::SetupAxis(plot::Axis::kY, {.label = "value"});
        plot::PlotLine("sine", d.x.data(), d.y.data(), static_cast<int>(d.x.size()),
                       {.color = plot::PaletteColor(0)});
        plot::PlotScatter("dots##scatter", d.sx.data(), d.sy.data(), static_cast<int>(d.sx.size()),
                          {.color = plot::PaletteColor(1)});
        plot::EndPlot();
    }
}

// Every primitive drawn for a series lies in the data area (markers may overhang by a radius,
// which the clip rectangle trims).
void check_series_inside(const plot::Recording& rec) {
    const plot::Box& a = rec.plot_area;
    for (const plot::Primitive& p : rec.primitives) {
        if (p.series < 0) continue;
        const float slack = p.kind == plot::PrimitiveKind::kMarkers ? p.size + p.width : 0.01f;
        for (const plot::Point& q : rec.primitive_points(p)) {
            INFO("series " << p.series << " point " << q.x << "," << q.y);
            CHECK(std::isfinite(q.x));
            CHECK(std::isfinite(q.y));
            CHECK(q.x >= a.x0 - slack);
            CHECK(q.x <= a.x1 + slack);
            CHECK(q.y >= a.y0 - slack);
            CHECK(q.y <= a.y1 + slack);
        }
        if (p.kind == plot::PrimitiveKind::kRect || p.kind == plot::PrimitiveKind::kImage) {
            CHECK(p.a.x >= a.x0);
            CHECK(p.b.x <= a.x1);
            CHECK(p.a.y >= a.y0);
            CHECK(p.b.y <= a.y1);
        }
    }
}

int primitives_of(const plot::Recording& rec, int series) {
    int n = 0;
    for (const plot::Primitive& p : rec.primitives)
        n += p.series == series ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("plot widget: a frame records its series, data, fitted limits and inside primitives") {
    HeadlessImGui ui;
    const Data d;
    CHECK(plot::LastRecording("##basic") == nullptr);
    for (int frame = 0; frame < 3; ++frame)
        ui.frame([&] { draw_basic(d); });
    const plot::Recording* rec = plot::LastRecording("##basic");
    REQUIRE(rec != nullptr);
    CHECK(rec->title == "Basic");
    CHECK(rec->x_label == "step");
    CHECK(rec->y_label == "value");
    CHECK(rec->size.x == kSize.x);
    CHECK(rec->size.y == kSize.y);
    REQUIRE(rec->series.size() == 2);
    const plot::Series& line = rec->series[0];
    const plot::Series& dots = rec->series[1];
    CHECK(line.kind == plot::SeriesKind::kLine);
    CHECK(rec->label(line) == "sine");
    CHECK(rec->label(dots) == "dots");
    CHECK(rec->full_label(dots) == "dots##scatter");
    REQUIRE(rec->xs(line).size() == d.x.size());
    for (std::size_t i = 0; i < d.x.size(); ++i) {
        CHECK(rec->xs(line)[i] == d.x[i]);
        CHECK(rec->ys(line)[i] == d.y[i]);
    }
    REQUIRE(rec->ys(dots).size() == d.sy.size());
    CHECK(rec->ys(dots)[7] == static_cast<double>(d.sy[7]));

    // Auto-fit contains all data, with little waste.
    CHECK(rec->x.min <= 0.0);
    CHECK(rec->x.max >= 199.0);
    CHECK(rec->y.min <= -2.0);
    CHECK(rec->y.max >= 4.0);
    CHECK(rec->x.max - rec->x.min < 1.5 * 199.0);

    CHECK(primitives_of(*rec, 0) >= 1);
    CHECK(primitives_of(*rec, 1) == 1);  // one marker batch
    check_series_inside(*rec);
    // Everything else stays inside the widget.
    for (const plot::Primitive& p : rec->primitives) {
        for (const plot::Point& q : rec->primitive_points(p)) {
            CHECK(q.x >= 0);
            CHECK(q.x <= rec->size.x);
            CHECK(q.y >= 0);
            CHECK(q.y <= rec->size.y);
        }
    }
    CHECK(has_text(*rec, "Basic"));
    CHECK(has_text(*rec, "step"));
    CHECK(has_text(*rec, "sine"));
    CHECK(has_text(*rec, "dots"));
    CHECK_FALSE(has_text(*rec, "dots##scatter"));
    REQUIRE(rec->legend.size() == 2);
    CHECK(rec->legend[0].box.x1 <= rec->plot_area.x1);

    // A plot that stops being drawn has no "last frame" recording.
    ui.frame([] {});
    ui.frame([] {});
    CHECK(plot::LastRecording("##basic") == nullptr);
}

TEST_CASE("plot widget: a log axis ignores values <= 0 and breaks the line there") {
    HeadlessImGui ui;
    const std::vector<double> k = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
    std::vector<double> snr;
    for (double v : k)
        snr.push_back(0.3 * std::sqrt(v));
    snr[5] = 0.0;   // a break
    snr[6] = -1.0;  // and another
    for (int frame = 0; frame < 2; ++frame) {
        ui.frame([&] {
            if (plot::BeginPlot("##snr", "SNR", kSize)) {
                plot::SetupAxis(plot::Axis::kX, {.label = "K", .log = true});
                plot::SetupAxis(plot::Axis::kY, {.label = "SNR", .log = true});
                plot::PlotLine("exact", k.data(), snr.data(), static_cast<int>(k.size()), {});
                plot::PlotMarker("now", 0.0, 1.0, {});  // x = 0 cannot be shown
                plot::EndPlot();
            }
        });
    }
    const plot::Recording* rec = plot::LastRecording("##snr");
    REQUIRE(rec != nullptr);
    CHECK(rec->x.log);
    CHECK(rec->x.min > 0.0);
    CHECK(rec->x.min <= 1.0);
    CHECK(rec->x.max >= 4096.0);
    CHECK(rec->y.min > 0.0);
    CHECK(rec->y.min <= 0.3);
    CHECK(primitives_of(*rec, 0) == 2);  // the line in two pieces
    CHECK(primitives_of(*rec, 1) == 0);
    check_series_inside(*rec);
    CHECK(has_text(*rec, "1e3"));
    CHECK(has_text(*rec, "100"));
}

TEST_CASE("plot widget: hidden legend entries draw nothing and leave the fit") {
    HeadlessImGui ui;
    const std::vector<double> x = {0, 1, 2, 3};
    const std::vector<double> small = {0, 1, 0, 1};
    const std::vector<double> big = {0, 100, 50, 80};
    auto draw = [&](bool hide_by_api) {
        if (plot::BeginPlot("##legend", "", kSize)) {
            if (hide_by_api) plot::SetHidden("big", true);
            plot::PlotLine("small", x.data(), small.data(), 4, {.color = plot::PaletteColor(0)});
            plot::PlotBand("big", x.data(), small.data(), big.data(), 4, {0, 0, 1, 0.2f});
            plot::PlotLine("big", x.data(), big.data(), 4, {.color = plot::PaletteColor(1)});
            plot::PlotLine("##unlisted", x.data(), small.data(), 4, {});
            plot::EndPlot();
        }
    };
    ui.frame([&] { draw(false); });
    ui.frame([&] { draw(false); });
    const plot::Recording* rec = plot::LastRecording("##legend");
    REQUIRE(rec != nullptr);
    // One row per label: the band and the line called "big" share one; "##..." has none.
    REQUIRE(rec->legend.size() == 2);
    CHECK(rec->y.max >= 100.0);
    CHECK(primitives_of(*rec, 1) >= 1);
    CHECK(primitives_of(*rec, 2) >= 1);

    // Click the "big" row: press and release over it.
    const plot::LegendEntry entry = rec->legend[1];
    CHECK(rec->label(rec->series[static_cast<std::size_t>(entry.series)]) == "big");
    ui.io().MousePos = ImVec2(ui.origin().x + 0.5f * (entry.box.x0 + entry.box.x1),
                              ui.origin().y + 0.5f * (entry.box.y0 + entry.box.y1));
    ui.frame([&] { draw(false); });
    ui.io().MouseDown[0] = true;
    bool hidden_seen = false;
    ui.frame([&] {
        draw(false);
        if (plot::BeginPlot("##legend", "", kSize)) {  // same id again: reads the same state
            hidden_seen = plot::IsHidden("big");
            plot::EndPlot();
        }
    });
    ui.io().MouseDown[0] = false;
    ui.frame([&] { draw(false); });
    CHECK(hidden_seen);
    rec = plot::LastRecording("##legend");
    REQUIRE(rec != nullptr);
    CHECK(rec->series[1].hidden);
    CHECK(rec->series[2].hidden);
    CHECK_FALSE(rec->series[0].hidden);
    CHECK(primitives_of(*rec, 1) == 0);
    CHECK(primitives_of(*rec, 2) == 0);
    CHECK(primitives_of(*rec, 0) >= 1);
    REQUIRE(rec->legend.size() == 2);
    CHECK(rec->legend[1].hidden);                // still listed, greyed
    CHECK(rec->xs(rec->series[2]).size() == 4);  // data kept for export
    for (int frame = 0; frame < 20; ++frame)     // the fit shrinks back after its delay
        ui.frame([&] { draw(false); });
    rec = plot::LastRecording("##legend");
    CHECK(rec->y.max < 10.0);

    // SetHidden gives the same result without a mouse.
    HeadlessImGui fresh;
    fresh.frame([&] { draw(true); });
    rec = plot::LastRecording("##legend");
    REQUIRE(rec != nullptr);
    CHECK(rec->series[2].hidden);
    CHECK(primitives_of(*rec, 2) == 0);
    CHECK(rec->y.max < 10.0);
}

TEST_CASE("plot widget: wheel zoom and drag pan stop auto-fit until a double-click") {
    HeadlessImGui ui;
    std::vector<double> x = {0, 10};
    std::vector<double> y = {0, 10};
    auto draw = [&] {
        if (plot::BeginPlot("##zoom", "", kSize)) {
            plot::PlotLine("l", x.data(), y.data(), static_cast<int>(x.size()), {});
            plot::EndPlot();
        }
    };
    ui.frame(draw);
    ui.frame(draw);
    const plot::Recording fitted = *plot::LastRecording("##zoom");
    const double span_x = fitted.x.max - fitted.x.min;
    const double span_y = fitted.y.max - fitted.y.min;

    // Zoom in about the data point (5, 5): it stays under the cursor.
    ui.io().MousePos = screen_of(ui, fitted, 5.0, 5.0);
    ui.frame(draw);
    ui.io().MouseWheel = 2.0f;
    ui.frame(draw);
    ui.io().MouseWheel = 0.0f;
    ui.frame(draw);
    const plot::Recording zoomed = *plot::LastRecording("##zoom");
    CHECK(zoomed.x.max - zoomed.x.min == doctest::Approx(span_x * 0.85 * 0.85).epsilon(1e-6));
    CHECK(zoomed.y.max - zoomed.y.min == doctest::Approx(span_y * 0.85 * 0.85).epsilon(1e-6));
    const ImVec2 p = screen_of(ui, zoomed, 5.0, 5.0);
    CHECK(p.x == doctest::Approx(ui.io().MousePos.x).epsilon(0.01));
    CHECK(p.y == doctest::Approx(ui.io().MousePos.y).epsilon(0.01));

    // Shift: x only.
    ui.io().KeyShift = true;
    ui.io().MouseWheel = -1.0f;
    ui.frame(draw);
    ui.io().KeyShift = false;
    ui.io().MouseWheel = 0.0f;
    const plot::Recording shifted = *plot::LastRecording("##zoom");
    CHECK(shifted.x.max - shifted.x.min > zoomed.x.max - zoomed.x.min);
    CHECK(shifted.y.max - shifted.y.min == doctest::Approx(zoomed.y.max - zoomed.y.min));

    // New data far out: the user's view stays.
    x.push_back(1000);
    y.push_back(1000);
    ui.frame(draw);
    CHECK(plot::LastRecording("##zoom")->x.max < 100);

    // Drag 100 pixels right: the view moves left by 100 pixels' worth of data.
    const plot::Recording before = *plot::LastRecording("##zoom");
    const double per_pixel = (before.x.max - before.x.min) / before.plot_area.width();
    ui.io().MouseDown[0] = true;
    ui.frame(draw);
    for (int i = 1; i <= 4; ++i) {
        ui.io().MousePos.x += 25;
        ui.frame(draw);
    }
    ui.io().MouseDown[0] = false;
    ui.frame(draw);
    const plot::Recording panned = *plot::LastRecording("##zoom");
    CHECK(panned.x.min == doctest::Approx(before.x.min - 100 * per_pixel).epsilon(1e-6));
    CHECK(panned.y.min == doctest::Approx(before.y.min).epsilon(1e-6));

    // Double-click: back to auto-fit, which now takes in the new point.
    for (int i = 0; i < 2; ++i) {
        ui.io().MouseDown[0] = true;
        ui.frame(draw);
        ui.io().MouseDown[0] = false;
        ui.frame(draw);
    }
    ui.frame(draw);
    const plot::Recording refit = *plot::LastRecording("##zoom");
    CHECK(refit.x.max >= 1000);
    CHECK(refit.x.min <= 0);
}

TEST_CASE("plot widget: hover finds the nearest point and reads it out") {
    HeadlessImGui ui;
    const Data d;
    ui.frame([&] { draw_basic(d); });
    ui.frame([&] { draw_basic(d); });
    const plot::Recording rec = *plot::LastRecording("##basic");
    const ImVec2 target = screen_of(ui, rec, d.x[40], d.y[40]);
    ui.io().MousePos = ImVec2(target.x + 2, target.y + 1);
    ui.frame([&] { draw_basic(d); });
    const plot::Hover& hover = plot::LastHover();
    CHECK(hover.series == 0);
    CHECK(hover.row == 40);
    CHECK(hover.x == d.x[40]);
    CHECK(hover.text.rfind("sine: x = 40, y = ", 0) == 0);

    // Far from everything: nothing.
    ui.io().MousePos = screen_of(ui, rec, 190.0, -1.9);
    ui.frame([&] { draw_basic(d); });
    CHECK(plot::LastHover().series == -1);
}

TEST_CASE("plot widget: bars with categories, and the shapes stay inside for wild data") {
    HeadlessImGui ui;
    const std::vector<double> probs = {0.2, 0.5, 0.3};
    const std::vector<double> x = {0, 1, 2, 3, 4, 5};
    const std::vector<double> wild = {0.1, 1e300, NAN, -INFINITY, 0.4, 0.5};
    const std::vector<double> lo = {0.0, 0.1, 0.1, 0.2, 0.3, 0.3};
    const std::vector<double> hi = {0.5, 0.6, 0.7, 0.8, 0.9, 0.9};
    for (int frame = 0; frame < 2; ++frame) {
        ui.frame([&] {
            if (plot::BeginPlot("##bars", "Policy", ImVec2(300, 250))) {
                plot::SetupAxis(plot::Axis::kY,
                                {.label = "", .include_zero = true, .percent = true});
                plot::SetupCategories({"left", "middle", "right"});
                plot::PlotBars("pi", probs.data(), 3, 0.7, plot::PaletteColor(2));
                plot::PlotText(1.0, 0.5, "50%", {0, 0, 0, 1}, ImVec2(0, -8));
                plot::EndPlot();
            }
            if (plot::BeginPlot("##shapes", "", ImVec2(300, 250))) {
                plot::SetupAxis(plot::Axis::kX, {.label = "", .min = 0.0, .max = 5.0});
                plot::SetupAxis(plot::Axis::kY, {.label = "", .min = 0.0, .max = 1.0});
                plot::PlotLine("wild", x.data(), wild.data(), 6, {.dashed = true});
                plot::PlotBand("band", x.data(), lo.data(), hi.data(), 6, {0, 0, 1, 0.25f});
                plot::PlotEllipse("cov", 2.5, 0.5, 4.0, 0.5, 0.8, 2.0, {});
                plot::PlotArrow("grad", 1.0, 0.2, 9.0, 3.0, {});
                plot::PlotHLine("zero", 0.5, {.dashed = true});
                plot::PlotVLine("##now", 4.0, {});
                plot::PlotImage("density", reinterpret_cast<ImTextureID>(1), -1.0, -1.0, 3.0, 0.5);
                plot::EndPlot();
            }
        });
    }
    const plot::Recording* bars = plot::LastRecording("##bars");
    REQUIRE(bars != nullptr);
    CHECK(bars->y.min == 0.0);
    CHECK(bars->y.max >= 0.5);
    CHECK(primitives_of(*bars, 0) == 3);
    check_series_inside(*bars);
    CHECK(has_text(*bars, "left"));
    CHECK(has_text(*bars, "middle"));
    CHECK(has_text(*bars, "right"));
    CHECK(has_text(*bars, "0%"));
    CHECK(has_text(*bars, "50%"));
    CHECK(bars->category_count() == 3);
    CHECK(bars->category(2) == "right");

    const plot::Recording* shapes = plot::LastRecording("##shapes");
    REQUIRE(shapes != nullptr);
    CHECK(shapes->x.min == 0.0);
    CHECK(shapes->x.max == 5.0);
    check_series_inside(*shapes);
    for (int s = 0; s < 7; ++s) {
        INFO("series " << s);
        CHECK(primitives_of(*shapes, s) >= 1);
    }
    // The arrow's head is off the plot, its shaft is cut at the edge.
    bool arrow_fill = false;
    for (const plot::Primitive& p : shapes->primitives) {
        if (p.series == 3 && p.kind == plot::PrimitiveKind::kFill) arrow_fill = true;
    }
    CHECK_FALSE(arrow_fill);
    // The image is cut to the plot and its texture coordinates with it.
    for (const plot::Primitive& p : shapes->primitives) {
        if (p.kind != plot::PrimitiveKind::kImage) continue;
        CHECK(p.uv0.x == doctest::Approx(0.25));
        CHECK(p.uv1.x == doctest::Approx(1.0));
        CHECK(p.uv0.y == doctest::Approx(0.0));
        CHECK(p.uv1.y == doctest::Approx(1.0 / 3.0));
    }
}

TEST_CASE("plot widget: recordings reuse their buffers from frame to frame") {
    HeadlessImGui ui;
    const Data d;
    for (int frame = 0; frame < 4; ++frame)
        ui.frame([&] { draw_basic(d); });
    std::size_t capacity[2] = {0, 0};
    for (int frame = 0; frame < 20; ++frame) {
        ui.frame([&] { draw_basic(d); });
        const plot::Recording* rec = plot::LastRecording("##basic");
        REQUIRE(rec != nullptr);
        const std::size_t total = rec->primitives.capacity() + rec->points.capacity() +
                                  rec->values.capacity() + rec->strings.capacity();
        // Two recordings alternate (the one being drawn and the last one).
        if (frame >= 2) CHECK(total == capacity[frame % 2]);
        capacity[frame % 2] = total;
    }
}

#ifdef NDEBUG  // with assertions on, the misuse below stops the program by design
TEST_CASE("plot widget: without a current context BeginPlot declines") {
    HeadlessImGui ui;
    plot::Context* ctx = plot::GetCurrentContext();
    plot::SetCurrentContext(nullptr);
    bool began = true;
    ui.frame([&] { began = plot::BeginPlot("##none", "", kSize); });
    CHECK_FALSE(began);
    plot::SetCurrentContext(ctx);
}
#endif
