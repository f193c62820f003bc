// Text a plot draws never overlaps other text and never leaves the widget, whatever its size,
// font and legend: titles and axis labels are cut, legends move under the data when they would
// crowd it, tick labels give way, and every axis keeps at least two labelled ticks.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "plot/plot.hpp"
#include "plot/recording.hpp"
#include "support/headless_imgui.hpp"

namespace {

namespace plot = rl::plot;
using rl_test::HeadlessImGui;

// No two texts overlap and each lies within the widget (half a pixel of rounding allowed).
void check_texts(const plot::Recording& rec) {
    const std::vector<plot::TextBox> boxes = plot::text_boxes(rec);
    REQUIRE(!boxes.empty());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const plot::Box& b = boxes[i].box;
        INFO("text '" << boxes[i].text << "' at " << b.x0 << "," << b.y0 << " - " << b.x1 << ","
                      << b.y1 << " in " << rec.size.x << "x" << rec.size.y);
        CHECK(b.x0 >= -0.5f);
        CHECK(b.y0 >= -0.5f);
        CHECK(b.x1 <= rec.size.x + 0.5f);
        CHECK(b.y1 <= rec.size.y + 0.5f);
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
            INFO("and '" << boxes[j].text << "'");
            CHECK_FALSE(plot::boxes_overlap(b, boxes[j].box));
        }
    }
}

// Tick labels are the expendable texts: under the area for x, left of it for y.
int labelled_ticks(const plot::Recording& rec, plot::Axis axis) {
    int n = 0;
    for (const plot::Primitive& p : rec.primitives) {
        if (p.kind != plot::PrimitiveKind::kText || !p.expendable || p.count == 0) continue;
        const plot::Box b = plot::text_box(p);
        const bool below = b.y0 >= rec.plot_area.y1;
        n += (axis == plot::Axis::kX) == below ? 1 : 0;
    }
    return n;
}

struct Case {
    float width, height, font_scale;
    plot::LegendCorner corner;
};

void draw_crowded(const Case& c, const std::vector<double>& xs, const std::vector<double>& ys) {
    if (!plot::BeginPlot("##crowded",
                         "Gradient estimates, K = 1: SNR 0.29 with a title far too long to fit",
                         {c.width, c.height}))
        return;
    plot::SetupAxis(plot::Axis::kX,
                    {.label = "along the true gradient  (4096 estimates, 49% uphill)"});
    plot::SetupAxis(plot::Axis::kY, {.label = "across it: the noisiest direction", .log = true});
    plot::SetupLegend(c.corner);
    const char* names[] = {
        "none",   "constant b", "batch mean", "RLOO", "E[R]", "b*", "group-normalised (current)",
        "running"};
    for (int i = 0; i < 8; ++i) {
        std::vector<double> scaled(ys);
        for (double& v : scaled)
            v *= 1.0 + i;
        plot::PlotLine(names[i], xs.data(), scaled.data(), static_cast<int>(xs.size()),
                       {.color = plot::PaletteColor(i)});
    }
    plot::EndPlot();
}

}  // namespace

TEST_CASE("plot text: no overlaps, nothing outside, two ticks, at every size and legend place") {
    HeadlessImGui gui;
    std::vector<double> xs, ys;
    for (int i = 1; i <= 100; ++i) {
        xs.push_back(i);
        ys.push_back(0.3 * std::sqrt(static_cast<double>(i)));
    }
    const plot::LegendCorner corners[] = {
        plot::LegendCorner::kNorthEast, plot::LegendCorner::kSouthWest,
        plot::LegendCorner::kOutsideEast, plot::LegendCorner::kOutsideSouth,
        plot::LegendCorner::kNone};
    int checked = 0;
    for (float scale : {1.0f, 1.7f}) {
        for (float w : {260.0f, 420.0f, 780.0f}) {
            for (float h : {200.0f, 320.0f, 580.0f}) {
                for (plot::LegendCorner corner : corners) {
                    const Case c{w, h, scale, corner};
                    gui.io().FontGlobalScale = scale;
                    gui.frame([&] { draw_crowded(c, xs, ys); });
                    const plot::Recording* rec = plot::LastRecording("##crowded");
                    REQUIRE(rec != nullptr);
                    ++checked;
                    INFO("size " << w << "x" << h << ", font x" << scale << ", legend "
                                 << static_cast<int>(corner));
                    check_texts(*rec);
                    // The axes' claims hold for a widget at least 12 lines of text tall; a
                    // smaller one (the window's layout avoids them) still keeps its text apart.
                    if (h < 12.0f * ImGui::GetFontSize()) continue;
                    CHECK(labelled_ticks(*rec, plot::Axis::kX) >= 2);
                    CHECK(labelled_ticks(*rec, plot::Axis::kY) >= 2);
                    // The data keep at least half the width and a third of the height.
                    CHECK(rec->plot_area.width() >= 0.5f * w);
                    CHECK(rec->plot_area.height() >= h / 3.0f);
                }
            }
        }
    }
    CHECK(checked == 90);
}

TEST_CASE("plot text: a legend that would crowd the data moves under it") {
    HeadlessImGui gui;
    std::vector<double> xs{1, 2, 3}, ys{1, 2, 3};
    gui.frame([&] { draw_crowded({300, 420, 1.0f, plot::LegendCorner::kOutsideEast}, xs, ys); });
    const plot::Recording* rec = plot::LastRecording("##crowded");
    REQUIRE(rec != nullptr);
    REQUIRE(rec->legend.size() == 8);
    // Beside the data it would take more than half the width: its rows sit under the x label.
    for (const plot::LegendEntry& e : rec->legend)
        CHECK(e.box.y0 > rec->plot_area.y1);
    // With room, it stays beside the data.
    gui.frame([&] { draw_crowded({900, 420, 1.0f, plot::LegendCorner::kOutsideEast}, xs, ys); });
    rec = plot::LastRecording("##crowded");
    REQUIRE(rec != nullptr);
    for (const plot::LegendEntry& e : rec->legend)
        CHECK(e.box.x0 > rec->plot_area.x1);
}

namespace {

// A "Now"-style bar plot of `names` in a widget of `size`, its categories over -0.6 .. x_max.
const plot::Recording* draw_bars(HeadlessImGui& gui, const char* id,
                                 const std::vector<std::string>& names,
                                 const std::vector<double>& heights, ImVec2 size, double x_max) {
    gui.frame([&] {
        if (plot::BeginPlot(id, "Now", size)) {
            plot::SetupCategories(names);
            plot::SetupAxis(plot::Axis::kX, {.label = "", .min = -0.6, .max = x_max});
            plot::SetupAxis(plot::Axis::kY, {.label = "", .min = 0.0, .max = 1.0});
            plot::PlotBars("##b", heights.data(), static_cast<int>(heights.size()), 0.7,
                           plot::PaletteColor(0));
            plot::EndPlot();
        }
    });
    return plot::LastRecording(id);
}

// The texts under the data area (the bar names), in the order they were drawn.
std::vector<plot::TextBox> texts_below(const plot::Recording& rec) {
    std::vector<plot::TextBox> below;
    for (const plot::TextBox& t : plot::text_boxes(rec))
        if (t.box.y0 >= rec.plot_area.y1) below.push_back(t);
    return below;
}

}  // namespace

TEST_CASE("plot text: bar names are thinned by their own widths") {
    HeadlessImGui gui;
    const std::vector<std::string> names{"no", "a-very-long-answer-name", "yes", "maybe", "bistro"};
    const std::vector<double> heights{0.2, 0.3, 0.1, 0.25, 0.15};
    const plot::Recording* rec = draw_bars(gui, "##bars", names, heights, {300, 200}, 4.6);
    REQUIRE(rec != nullptr);
    check_texts(*rec);
    std::vector<std::string> shown;
    for (const plot::TextBox& t : texts_below(*rec))
        shown.emplace_back(t.text);
    // The long name takes the room of a neighbour or two, but not of every other bar: the short
    // names on either side of it keep theirs.
    CHECK(std::find(shown.begin(), shown.end(), "no") != shown.end());
    CHECK(std::find(shown.begin(), shown.end(), "maybe") != shown.end());
    CHECK(shown.size() >= 3);
}

TEST_CASE("plot text: a bar name at the plot's edge slides inward instead of vanishing") {
    // yes/no/maybe's "Now" bars in presenter type at 1024x768: "maybe" is wider than the room
    // right of its bar's centre.
    HeadlessImGui gui;
    const std::vector<std::string> names{"yes", "no", "maybe not"};
    const std::vector<double> heights{0.9, 0.05, 0.05};
    const plot::Recording* rec = draw_bars(gui, "##edge", names, heights, {200, 200}, 2.36);
    REQUIRE(rec != nullptr);
    check_texts(*rec);
    const std::vector<plot::TextBox> below = texts_below(*rec);
    REQUIRE(below.size() == 3);
    // Still over its bar: the bar's centre (2 of -0.6..2.36) lies within the name.
    const plot::TextBox& maybe = below.back();
    CHECK(maybe.text == "maybe not");
    const float area_w = rec->plot_area.x1 - rec->plot_area.x0;
    const float bar_centre = rec->plot_area.x0 + area_w * (2.0f + 0.6f) / 2.96f;
    CHECK(maybe.box.x0 <= bar_centre);
    CHECK(maybe.box.x1 >= bar_centre);
}

TEST_CASE("plot text: bar names that do not fit on one line alternate two, every one shown") {
    // kl-anchor's "Now" bars in presenter type at 1280x720: "answer" is wider than the room
    // between "the" and "is", and one line drops it.
    HeadlessImGui gui;
    const std::vector<std::string> names{"the", "answer", "is", "42", "7"};
    const std::vector<double> heights{0.35, 0.22, 0.14, 0.11, 0.15};
    const plot::Recording* rec = draw_bars(gui, "##rows", names, heights, {150, 160}, 4.6);
    REQUIRE(rec != nullptr);
    check_texts(*rec);
    // The five names, half a font apart, are wider than the bars' area: one line cannot hold them.
    float names_w = 0;
    for (const std::string& n : names)
        names_w += ImGui::CalcTextSize(n.c_str()).x + 0.5f * ImGui::GetFontSize();
    REQUIRE(names_w > rec->plot_area.x1 - rec->plot_area.x0);
    const std::vector<plot::TextBox> below = texts_below(*rec);
    REQUIRE(below.size() == names.size());
    // In order, alternating lines: the second and fourth a line under the others.
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(below[i].text == names[i]);
        if (i > 0) CHECK((below[i].box.y0 > below[i - 1].box.y0) == (i % 2 == 1));
    }
}
