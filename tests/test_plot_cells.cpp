// Heat maps in the plot module: cells fill their squares in the caller's colours and export
// their values; row names label the y axis in place of numbers, every few when rows are close;
// a cell under the mouse names its column, its row and its value.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "plot/csv_export.hpp"
#include "plot/plot.hpp"
#include "plot/recording.hpp"
#include "support/headless_imgui.hpp"

namespace {

namespace plot = rl::plot;
using rl_test::HeadlessImGui;
using rl_test::screen_of;

// Wide and short, as a credit strip is.
const ImVec2 kStripSize{640, 360};

}  // namespace

TEST_CASE("plot widget: cells fill their squares in their own colours and export their values") {
    HeadlessImGui ui;
    // 2 rows x 3 columns, row-major, each its own colour.
    const std::vector<double> values = {0.1, 0.2, 0.7, 0.5, 0.25, 0.25};
    std::vector<plot::Rgba> colors;
    for (std::size_t k = 0; k < values.size(); ++k)
        colors.push_back(
            {static_cast<float>(k) / 8.0f, 0.5f, 1.0f - static_cast<float>(values[k]), 1.0f});
    const auto draw = [&] {
        if (!plot::BeginPlot("##cells", "Cells", kStripSize)) return;
        plot::SetupCategories({"a", "b", "c"});
        plot::PlotCells("p", values.data(), colors.data(), 2, 3);
        plot::EndPlot();
    };
    for (int frame = 0; frame < 2; ++frame)
        ui.frame(draw);
    const plot::Recording* rec = plot::LastRecording("##cells");
    REQUIRE(rec != nullptr);
    REQUIRE(rec->series.size() == 1);
    const plot::Series& s = rec->series[0];
    CHECK(s.kind == plot::SeriesKind::kCells);
    CHECK_FALSE(s.in_legend);
    // The fit holds every cell whole: columns -0.5 .. 2.5, rows 0.5 .. 2.5.
    CHECK(rec->x.min <= -0.5);
    CHECK(rec->x.max >= 2.5);
    CHECK(rec->y.min <= 0.5);
    CHECK(rec->y.max >= 2.5);
    std::vector<const plot::Primitive*> rects;
    for (const plot::Primitive& p : rec->primitives)
        if (p.series == 0 && p.kind == plot::PrimitiveKind::kRect) rects.push_back(&p);
    REQUIRE(rects.size() == values.size());
    const float w = rects[0]->b.x - rects[0]->a.x, h = rects[0]->b.y - rects[0]->a.y;
    CHECK(w > 50.0f);
    CHECK(h > 50.0f);
    for (std::size_t k = 0; k < rects.size(); ++k) {
        CAPTURE(k);
        CHECK(rects[k]->filled);
        CHECK(rects[k]->color.r == colors[k].r);
        CHECK(rects[k]->color.b == colors[k].b);
        // Whole pixels: neighbours share an edge, and row 1 sits under row 2 (y grows down).
        CHECK(rects[k]->b.x - rects[k]->a.x == doctest::Approx(w).epsilon(0.02));
        if (k % 3 != 0) CHECK(rects[k]->a.x == rects[k - 1]->b.x);
        if (k >= 3) CHECK(rects[k]->b.y == rects[k - 3]->a.y);
    }
    const std::string csv = plot::recording_to_csv(*rec);
    CAPTURE(csv);
    CHECK(csv.find("p,cells,4,1,2,,,0.25,b\n") != std::string::npos);
}

TEST_CASE("plot widget: row names label the rows, and a cell under the mouse reads out") {
    HeadlessImGui ui;
    const std::vector<double> values = {-1.0, 0.0, 2.0, 0.5, 0.25, -0.75};
    const std::vector<plot::Rgba> colors(values.size(), plot::Rgba{0.5f, 0.5f, 0.5f, 1.0f});
    const auto draw = [&](ImVec2 size, int rows) {
        if (!plot::BeginPlot("##rows", "Rows", size)) return;
        plot::SetupCategories({"a", "b", "c"});
        std::vector<std::string> names;
        for (int r = 0; r < rows; ++r)
            names.push_back("row " + std::to_string(r + 1));
        plot::SetupRowNames(names);
        std::vector<double> v(static_cast<std::size_t>(rows) * 3, 0.0);
        for (std::size_t k = 0; k < v.size() && k < values.size(); ++k)
            v[k] = values[k];
        const std::vector<plot::Rgba> c(v.size(), colors.front());
        plot::PlotCells("A", v.data(), c.data(), rows, 3);
        plot::EndPlot();
    };
    for (int frame = 0; frame < 2; ++frame)
        ui.frame([&] { draw(kStripSize, 2); });
    const plot::Recording rec = *plot::LastRecording("##rows");
    REQUIRE(rec.row_name_count() == 2);
    CHECK(rec.row_name(1) == "row 2");
    // The names stand in for the y numbers.
    CHECK(rl_test::has_text(rec, "row 1"));
    CHECK(rl_test::has_text(rec, "row 2"));
    CHECK_FALSE(rl_test::has_text(rec, "1.5"));

    // The cell in column c of row 1 (the lowest).
    ui.io().MousePos = screen_of(ui, rec, 2.1, 0.9);
    ui.frame([&] { draw(kStripSize, 2); });
    const plot::Hover& hover = plot::LastHover();
    CHECK(hover.series == 0);
    CHECK(hover.row == 2);
    CHECK(hover.text == "A: c, row 1 = 2");
    // Off the cells, beyond the last row: nothing.
    ui.io().MousePos = screen_of(ui, rec, 1.0, 2.7);
    ui.frame([&] { draw(kStripSize, 2); });
    CHECK(plot::LastHover().series == -1);

    // Forty rows in a short plot: every few are named, never two within a line of each other.
    ui.io().MousePos = ImVec2(-100, -100);
    for (int frame = 0; frame < 2; ++frame)
        ui.frame([&] { draw(ImVec2(600, 260), 40); });
    const plot::Recording crowded = *plot::LastRecording("##rows");
    std::vector<float> ys;
    for (const plot::Primitive& p : crowded.primitives)
        if (crowded.text(p).rfind("row ", 0) == 0) ys.push_back(p.a.y);
    CHECK(ys.size() >= 4);
    CHECK(ys.size() < 40);
    for (std::size_t i = 1; i < ys.size(); ++i)
        CHECK(std::abs(ys[i] - ys[i - 1]) >= ImGui::GetFontSize());
}
