// SVG and CSV export of a plot's Recording: a real plot with every kind of series drawn headless,
// checked by independent readers (xmllint, a CSV parser, a base64 decoder), plus hand-made cases
// whose output is known exactly.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "plot/csv_export.hpp"
#include "plot/plot.hpp"
#include "plot/recording.hpp"
#include "plot/svg_export.hpp"
#include "support/export_checks.hpp"
#include "support/headless_imgui.hpp"

namespace {

namespace plot = rl::plot;
using rl_test::count_of;
using rl_test::HeadlessImGui;

constexpr const char* kTrickyLabel = "a<b & \"c\"";
constexpr const char* kTrickyEscaped = "a&lt;b &amp; &quot;c&quot;";
constexpr int kScatterPoints = 4096;

struct Everything {
    std::vector<double> x{0.0, 1.0, 2.0, 3.0, 4.0};
    std::vector<double> y{1.0, 2.0, 1.5, 3.0, 2.5};
    std::vector<double> lo{0.8, 1.5, 1.2, 2.2, 2.0};
    std::vector<double> hi{1.3, 2.6, 1.9, 3.5, 3.1};
    std::vector<double> low{0.6, 0.7, 0.65, 0.9, 0.75};
    std::vector<double> probs{0.9, 1.8, 1.2};
    std::vector<float> sx, sy;
    std::shared_ptr<plot::ImagePixels> pixels = std::make_shared<plot::ImagePixels>();

    Everything() {
        // A fixed spread over the data area; no randomness, so every run draws the same.
        for (int i = 0; i < kScatterPoints; ++i) {
            sx.push_back(static_cast<float>(4.0 * std::fmod(i * 0.6180339887, 1.0)));
            sy.push_back(static_cast<float>(0.6 + 3.0 * std::fmod(i * 0.7548776662, 1.0)));
        }
        pixels->width = 3;
        pixels->height = 2;
        for (int k = 0; k < 6; ++k) {
            const auto v = static_cast<std::uint8_t>(40 * k);
            pixels->rgba.insert(pixels->rgba.end(),
                                {v, 0, static_cast<std::uint8_t>(255 - v), 255});
            pixels->values.push_back(k * 1.5);
        }
    }
};

void draw_everything(const Everything& d) {
    if (!plot::BeginPlot("##export", "Gradient σ & ∇J", ImVec2(640, 480))) return;
    plot::SetupAxis(plot::Axis::kX, {.label = "step (σ units)"});
    plot::SetupAxis(plot::Axis::kY, {.label = "∇J norm", .log = true});
    plot::SetupCategories({"left", "mid, dle", "right"});
    plot::SetHidden("hidden one", true);
    const int n = static_cast<int>(d.x.size());
    plot::PlotBand("mean", d.x.data(), d.lo.data(), d.hi.data(), n, {0, 0, 1, 0.2f});
    plot::PlotLine("mean", d.x.data(), d.y.data(), n, {.color = plot::PaletteColor(0)});
    plot::PlotLine(kTrickyLabel, d.x.data(), d.hi.data(), n,
                   {.color = plot::PaletteColor(1), .dashed = true});
    plot::PlotLine("hidden one", d.x.data(), d.low.data(), n, {.color = plot::PaletteColor(2)});
    plot::PlotScatter("estimates", d.sx.data(), d.sy.data(), kScatterPoints,
                      {.color = {0.2f, 0.4f, 0.8f, 0.5f}, .size = 2.0f});
    plot::PlotMarker(
        "now", 2.0, 2.0,
        {.color = {1, 0, 0, 1}, .shape = plot::MarkerShape::kDiamond, .outline = {0, 0, 0, 1}});
    plot::PlotBars("pi", d.probs.data(), 3, 0.6, {0.3f, 0.6f, 0.3f, 0.7f});
    plot::PlotEllipse("covariance", 2.0, 1.5, 0.3, 0.1, 0.05, 2.0, {.color = {0, 0, 0, 1}});
    plot::PlotArrow("true gradient", 0.5, 1.0, 2.5, 3.0, {.color = {0.8f, 0.1f, 0.1f, 1}});
    plot::PlotText(1.0, 2.5, "peak σ", {0, 0, 0, 1}, ImVec2(0, -8));
    plot::PlotImage("density", nullptr, 3.0, 0.7, 4.0, 1.4, d.pixels);
    plot::EndPlot();
}

plot::Recording record_everything() {
    HeadlessImGui ui;
    const Everything d;
    for (int frame = 0; frame < 3; ++frame)
        ui.frame([&] { draw_everything(d); });
    const plot::Recording* rec = plot::LastRecording("##export");
    REQUIRE(rec != nullptr);
    return *rec;
}

std::size_t markers_drawn(const plot::Recording& rec) {
    std::size_t n = 0;
    for (const plot::Primitive& p : rec.primitives)
        n += p.kind == plot::PrimitiveKind::kMarkers ? p.count : 0;
    return n;
}

// What docs/EXPORT.md promises, counted from the recording's data.
std::size_t csv_rows_expected(const plot::Recording& rec) {
    std::size_t n = 0;
    for (const plot::Series& s : rec.series) {
        if (s.kind != plot::SeriesKind::kImage) {
            n += s.count;
        } else if (s.pixels && !s.pixels->values.empty()) {
            n += s.pixels->values.size();
        } else {
            n += 2;
        }
    }
    return n;
}

// The cell read back as a double equals the recorded one exactly (NaN matches NaN).
bool reads_back(const std::string& cell, double recorded) {
    if (cell.empty()) return false;
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (*end != '\0') return false;
    return v == recorded || (std::isnan(v) && std::isnan(recorded));
}

std::string svg_text(std::string_view content) {
    std::string element = ">";
    element += content;
    element += "</text>";
    return element;
}

}  // namespace

TEST_CASE("plot export: the SVG of every kind of series is well-formed XML") {
    const plot::Recording rec = record_everything();
    const std::string svg = plot::recording_to_svg(rec);
    const auto verdict = rl_test::xmllint_accepts(svg);
    if (!verdict) {
        MESSAGE("SKIPPED: xmllint not installed (scripts/install-deps.sh --test)");
        return;
    }
    CHECK(*verdict);
    HeadlessImGui ui;
    ui.frame([] {
        if (plot::BeginPlot("##empty", "", ImVec2(300, 200))) plot::EndPlot();
    });
    const plot::Recording* empty = plot::LastRecording("##empty");
    REQUIRE(empty != nullptr);
    CHECK(*rl_test::xmllint_accepts(plot::recording_to_svg(*empty)));
    CHECK(*rl_test::xmllint_accepts(plot::recording_to_svg(plot::Recording{})));
    // A deliberately broken document is refused, so the check above can fail.
    CHECK_FALSE(*rl_test::xmllint_accepts(svg.substr(0, svg.size() / 2), true));
}

TEST_CASE("plot export: the SVG shows every label as text and a use per marker") {
    const plot::Recording rec = record_everything();
    const std::string svg = plot::recording_to_svg(rec);
    CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
    CHECK(svg.find("viewBox=\"0 0 640 480\"") != std::string::npos);
    CHECK(svg.find(svg_text("Gradient σ &amp; ∇J")) != std::string::npos);
    CHECK(svg.find("font-weight=\"bold\"") != std::string::npos);
    CHECK(svg.find(svg_text("step (σ units)")) != std::string::npos);
    CHECK(svg.find(svg_text("∇J norm")) != std::string::npos);
    CHECK(svg.find("rotate(-90)") != std::string::npos);
    CHECK(svg.find(svg_text("mid, dle")) != std::string::npos);
    for (const char* label : {"mean", "hidden one", "estimates", "now", "pi", "covariance",
                              "true gradient", "peak σ", "density"}) {
        INFO(label);
        CHECK(svg.find(label) != std::string::npos);
    }
    // The tricky label: escaped in its legend text and in its series group, never raw.
    CHECK(svg.find(svg_text(kTrickyEscaped)) != std::string::npos);
    CHECK(svg.find(std::string("data-series=\"") + kTrickyEscaped + "\"") != std::string::npos);
    CHECK(svg.find("a<b") == std::string::npos);
    // Every drawn series has a group named by its label; the hidden one draws nothing.
    CHECK(svg.find("data-series=\"estimates\"") != std::string::npos);
    CHECK(svg.find("data-series=\"peak σ\"") != std::string::npos);
    CHECK(svg.find("data-series=\"hidden one\"") == std::string::npos);
    CHECK(svg.find("stroke-dasharray=") != std::string::npos);

    const std::size_t markers = markers_drawn(rec);
    CHECK(markers > 1000);  // most of the 4096 points survive the overdraw cap
    CHECK(count_of(svg, "<use ") == markers);
    CHECK(svg.size() < 1024 * 1024);
}

TEST_CASE("plot export: image pixels reach the SVG as a PNG data URI") {
    const plot::Recording rec = record_everything();
    const std::string svg = plot::recording_to_svg(rec);
    const std::string prefix = "xlink:href=\"data:image/png;base64,";
    const std::size_t start = svg.find(prefix);
    REQUIRE(start != std::string::npos);
    const std::size_t first = start + prefix.size();
    const std::size_t end = svg.find('"', first);
    REQUIRE(end != std::string::npos);
    const auto png = rl_test::decode_base64(std::string_view(svg).substr(first, end - first));
    REQUIRE(png.has_value());
    REQUIRE(png->size() > 24);
    const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    for (int i = 0; i < 8; ++i)
        CHECK((*png)[static_cast<std::size_t>(i)] == signature[i]);
    CHECK(std::string(png->begin() + 12, png->begin() + 16) == "IHDR");
    const auto be32 = [&](std::size_t at) {
        return (*png)[at] << 24 | (*png)[at + 1] << 16 | (*png)[at + 2] << 8 | (*png)[at + 3];
    };
    CHECK(be32(16) == 3);
    CHECK(be32(20) == 2);
    CHECK(svg.find("image-rendering:pixelated") != std::string::npos);
}

TEST_CASE("plot export: the CSV holds every series and its exact values") {
    const plot::Recording rec = record_everything();
    const auto rows = rl_test::parse_csv(plot::recording_to_csv(rec));
    REQUIRE(!rows.empty());
    const std::vector<std::string> header = {"series", "kind", "index", "x",       "y",
                                             "lo",     "hi",   "value", "category"};
    CHECK(rows[0] == header);
    REQUIRE(rows.size() == 1 + csv_rows_expected(rec));
    // 5 + 5 + 5 + 5 points, 4096 estimates, a marker, 3 bars, 97 ellipse points, 2 arrow ends,
    // a text and 6 image bins.
    CHECK(rows.size() == 1 + 20 + kScatterPoints + 1 + 3 + 97 + 2 + 1 + 6);

    std::size_t r = 1;
    for (const plot::Series& s : rec.series) {
        if (s.kind == plot::SeriesKind::kImage) {
            REQUIRE(s.pixels);
            for (std::size_t k = 0; k < s.pixels->values.size(); ++k, ++r) {
                CHECK(rows[r][1] == "image");
                CHECK(reads_back(rows[r][7], s.pixels->values[k]));
            }
            continue;
        }
        const auto xs = rec.xs(s);
        const auto ys = rec.ys(s);
        const auto los = rec.los(s);
        for (std::size_t k = 0; k < s.count; ++k, ++r) {
            const std::vector<std::string>& row = rows[r];
            INFO("row " << r);
            REQUIRE(row.size() == header.size());
            CHECK(row[2] == std::to_string(k));
            if (s.kind != plot::SeriesKind::kText) CHECK(row[0] == rec.label(s));
            CHECK((xs.empty() ? row[3].empty() : reads_back(row[3], xs[k])));
            CHECK((ys.empty() ? row[4].empty() : reads_back(row[4], ys[k])));
            CHECK((los.empty() ? row[5].empty() : reads_back(row[5], los[k])));
        }
    }
    CHECK(r == rows.size());

    std::size_t hidden_rows = 0;
    std::size_t tricky_rows = 0;
    for (const auto& row : rows) {
        hidden_rows += row[0] == "hidden one" ? 1 : 0;
        tricky_rows += row[0] == kTrickyLabel ? 1 : 0;
    }
    CHECK(hidden_rows == 5);
    CHECK(tricky_rows == 5);
}

TEST_CASE("plot export: a small plot's CSV is exactly as documented") {
    HeadlessImGui ui;
    const std::vector<double> x = {0, 1, 2};
    const std::vector<double> y = {0.1, 0.25, 1e-300};
    const std::vector<double> bars = {0.5, 0.25};
    ui.frame([&] {
        if (plot::BeginPlot("##small", "", ImVec2(300, 200))) {
            plot::SetupCategories({"left", "right, \"up\""});
            plot::PlotLine("l", x.data(), y.data(), 3, {});
            plot::PlotBars("p", bars.data(), 2, 0.5, {0, 0, 1, 1});
            plot::PlotHLine("h##ref", 0.5, {});
            plot::PlotImage("density", reinterpret_cast<ImTextureID>(1), -1.0, -1.0, 3.0, 0.5);
            plot::PlotText(1.0, 0.5, "50%", {0, 0, 0, 1});
            plot::EndPlot();
        }
    });
    const plot::Recording* rec = plot::LastRecording("##small");
    REQUIRE(rec != nullptr);
    CHECK(plot::recording_to_csv(*rec) ==
          "series,kind,index,x,y,lo,hi,value,category\n"
          "l,line,0,0,0.1,,,,\n"
          "l,line,1,1,0.25,,,,\n"
          "l,line,2,2,1e-300,,,,\n"
          "p,bars,0,0,0.5,,,,left\n"
          "p,bars,1,1,0.25,,,,\"right, \"\"up\"\"\"\n"
          "h,hline,0,,0.5,,,,\n"
          "density,image,0,-1,-1,,,,\n"
          "density,image,1,3,0.5,,,,\n"
          "50%,text,0,1,0.5,,,,\n");
    // No pixels recorded: a grey stand-in and a note saying so.
    const std::string svg = plot::recording_to_svg(*rec);
    CHECK(svg.find("<!-- image without recorded pixels") != std::string::npos);
    CHECK(svg.find("data:image/png") == std::string::npos);
}

TEST_CASE("plot export: an empty plot gives an SVG frame and a header-only CSV") {
    HeadlessImGui ui;
    ui.frame([] {
        if (plot::BeginPlot("##empty", "Nothing yet", ImVec2(300, 200))) plot::EndPlot();
    });
    const plot::Recording* rec = plot::LastRecording("##empty");
    REQUIRE(rec != nullptr);
    CHECK(plot::recording_to_csv(*rec) == "series,kind,index,x,y,lo,hi,value,category\n");
    const std::string svg = plot::recording_to_svg(*rec);
    CHECK(svg.find(svg_text("Nothing yet")) != std::string::npos);
    CHECK(svg.find("class=\"series\"") == std::string::npos);
    CHECK(svg.rfind("</svg>\n") == svg.size() - 7);
}

TEST_CASE("plot export: hand-made primitives map to SVG elements one for one") {
    plot::Recording rec;
    rec.size = {100, 50};
    rec.points = {{10, 10}, {20, 10}, {20, 20}, {1.005f, 2}, {3, 4}};
    plot::Primitive& dashed = rec.add_primitive(plot::PrimitiveKind::kPolyline);
    dashed.color = {1, 0, 0, 0.5f};
    dashed.width = 2;
    dashed.dash = 6;
    dashed.gap = 3;
    dashed.count = 3;
    plot::Primitive& closed = rec.add_primitive(plot::PrimitiveKind::kPolyline);
    closed.closed = true;
    closed.count = 3;
    closed.width = 1;
    plot::Primitive& invisible = rec.add_primitive(plot::PrimitiveKind::kPolyline);
    invisible.color.a = 0;  // ImGui skips it, and so does the SVG
    invisible.first = 3;
    invisible.count = 2;
    const std::string text = "x\x01y\xFFz<";
    plot::Primitive& label = rec.add_primitive(plot::PrimitiveKind::kText);
    label.first = rec.add_string(text);
    label.count = static_cast<std::uint32_t>(text.size());
    label.size = 13;
    label.text_size = {20, 13};
    label.a = {50, 25};
    label.anchor = {1.0f, 0.0f};

    const std::string svg = plot::recording_to_svg(rec, {.background = {0, 0, 0, 0}});
    CHECK(svg.find("<polyline points=\"10,10 20,10 20,20\" fill=\"none\" stroke=\"rgb(255,0,0)\" "
                   "stroke-opacity=\"0.5\" stroke-width=\"2\" stroke-dasharray=\"6,3\"/>") !=
          std::string::npos);
    CHECK(svg.find("<polygon points=\"10,10 20,10 20,20\"") != std::string::npos);
    CHECK(svg.find("1.01,2") == std::string::npos);  // the invisible one
    CHECK(count_of(svg, "<rect") == 0);              // transparent background: none painted
    // Controls dropped, a bad byte replaced, markup escaped. Anchored at its top-right: the end
    // at x 50, the baseline 0.35 font sizes below the middle of its 13-pixel line.
    CHECK(svg.find(">xy\xEF\xBF\xBDz&lt;</text>") != std::string::npos);
    CHECK(svg.find("x=\"50\" y=\"36.05\" text-anchor=\"end\"") != std::string::npos);
}
