#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// A plot as it was drawn: primitives in pixels plus the series it was drawn from. The screen is
// drawn by replaying a Recording (plot/replay.hpp); an SVG or CSV exporter reads the same data.
// Nothing here depends on Dear ImGui, so an exporter needs no GUI.
namespace rl::plot {

struct Rgba {
    float r = 0, g = 0, b = 0, a = 1;
};

// Pixels, relative to the plot's top-left corner, y downward (as on the screen).
struct Point {
    float x = 0, y = 0;
};

struct Box {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // min and max corners
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    bool contains(Point p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

enum class PrimitiveKind : std::uint8_t {
    kPolyline,  // stroke through points; `closed` joins the last point to the first
    kFill,      // convex polygons (sizes in polygon_sizes) filled as one shape, no outline
    kRect,      // box a..b, filled or stroked
    kCircle,    // centre a, radius `size`, filled or stroked
    kMarkers,   // one marker of `glyph` at each point
    kText,      // text at a, placed by `anchor`
    kImage,     // texture over box a..b with uv0..uv1
    kPushClip,  // later primitives are clipped to box a..b until the matching kPopClip
    kPopClip,
};

enum class MarkerGlyph : std::uint8_t { kCircle, kSquare, kDiamond, kCross };

struct Primitive {
    PrimitiveKind kind = PrimitiveKind::kPolyline;
    MarkerGlyph glyph = MarkerGlyph::kCircle;
    bool filled = false;
    bool closed = false;
    bool bold = false;         // text: the title
    bool vertical = false;     // text: rotated a quarter turn counter-clockwise (reads upward)
    bool expendable = false;   // text: a tick label, dropped where it would touch other text
    int series = -1;           // index into Recording::series; -1: frame, axes, legend
    Rgba color;                // stroke, fill or text colour
    Rgba outline{0, 0, 0, 0};  // markers: outline colour (alpha 0: none)
    float width = 0;           // stroke width in pixels (markers: outline width)
    float dash = 0, gap = 0;   // dash pattern in pixels along the stroke; dash 0: solid
    float size = 0;            // circle or marker radius; text: font size in pixels
    Point a, b;                // see PrimitiveKind
    Point anchor;     // text: which point of its box sits at a (0,0 top-left, 1,1 bottom-right)
    Point text_size;  // text: measured box before rotation, in pixels
    Point uv0, uv1;   // image
    void* texture = nullptr;             // image: the ImTextureID; its pixels: series' `pixels`
    std::uint32_t first = 0, count = 0;  // points (polyline, fill, markers) or text bytes
    std::uint32_t first_polygon = 0, polygon_count = 0;  // fill: ranges in polygon_sizes
};

enum class SeriesKind : std::uint8_t {
    kLine,
    kBand,
    kScatter,
    kMarker,
    kBars,
    kArrow,
    kEllipse,
    kHLine,
    kVLine,
    kImage,
    kText,
    kCells,  // a heat map: one filled cell per value, each with its own colour
};

// An image's pixels as the CPU knows them, so an exporter can write what the GPU texture shows.
struct ImagePixels {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4 bytes; row 0 = top (highest y)
    std::vector<double> values;      // optional, width * height in the same order (e.g. counts)
};

// One Plot* call. Its data live in Recording::values (has_x, has_y, has_band say which columns
// it has). An ellipse's columns are its outline in data units; a PlotText's label is its text.
struct Series {
    SeriesKind kind = SeriesKind::kLine;
    bool hidden = false;  // switched off in the legend: recorded, not drawn
    bool in_legend = true;
    bool dashed = false;
    float dash = 0, gap = 0;  // dashed: the pattern in pixels (already scaled); 0: the default
    bool marker_filled = true;
    MarkerGlyph glyph = MarkerGlyph::kCircle;
    Rgba color;
    Rgba outline{0, 0, 0, 0};
    float width = 0;        // line width or marker outline width, pixels (already scaled)
    float marker_size = 0;  // radius, pixels (already scaled)
    std::uint32_t label_first = 0, label_size = 0;  // full label ("name##id") in strings
    std::uint32_t display_size = 0;                 // the part before "##"
    std::uint32_t count = 0;                        // rows
    std::uint32_t x_first = 0, y_first = 0, lo_first = 0, hi_first = 0;  // columns in values
    bool has_x = false, has_y = false, has_band = false;
    double bar_width = 0;  // bars, in x units
    // Cells: x and y columns hold each cell's column and row, lo its value; colors_first the
    // start of its colours in values, four (r, g, b, a) per cell.
    std::uint32_t colors_first = 0;
    double bounds[4] = {0, 0, 0, 0};         // image: x_min, y_min, x_max, y_max
    double ellipse[6] = {0, 0, 0, 0, 0, 0};  // cx, cy, var_x, var_y, cov_xy, n_sigma
    Point pixel_offset;                      // text, already scaled
    void* texture = nullptr;
    // Image: shared, not copied, because a Recording is rebuilt every frame.
    std::shared_ptr<const ImagePixels> pixels;
};

struct AxisRecord {
    double min = 0, max = 1;  // the view's limits in data units
    bool log = false;
    bool percent = false;
};

// A clickable legend row, for tests and for anyone who wants to drive the legend.
struct LegendEntry {
    int series = -1;  // the first series with this label
    Box box;
    bool hidden = false;
};

// Where a text primitive sits, in the recording's pixels (after rotation).
struct TextBox {
    Box box;
    std::string_view text;
    std::size_t primitive = 0;  // index into Recording::primitives
};

struct Recording {
    std::string id;
    std::string title;
    std::string x_label, y_label;
    Point size;     // the whole widget, pixels
    Box plot_area;  // where data are drawn
    AxisRecord x, y;
    std::vector<Primitive> primitives;
    std::vector<Point> points;
    std::vector<std::uint32_t> polygon_sizes;
    std::vector<Series> series;
    std::vector<double> values;
    std::string strings;  // labels and texts, not terminated; see the ranges that point here
    std::vector<std::uint32_t> category_ranges;  // (first, size) pairs in strings
    std::vector<std::uint32_t> row_ranges;       // the y axis' row names, the same way
    std::vector<LegendEntry> legend;

    // Empties everything and keeps the capacity, so a plot redrawn every frame stops allocating.
    void clear();

    std::string_view label(const Series& s) const;       // the part before "##"
    std::string_view full_label(const Series& s) const;  // as passed to Plot*
    std::string_view text(const Primitive& p) const;
    std::span<const Point> primitive_points(const Primitive& p) const;
    std::span<const double> xs(const Series& s) const;
    std::span<const double> ys(const Series& s) const;
    std::span<const double> los(const Series& s) const;
    std::span<const double> his(const Series& s) const;
    std::span<const double> cell_values(const Series& s) const;  // cells: each one's value
    Rgba cell_color(const Series& s, std::size_t k) const;
    std::size_t category_count() const { return category_ranges.size() / 2; }
    std::string_view category(std::size_t i) const;
    std::size_t row_name_count() const { return row_ranges.size() / 2; }
    std::string_view row_name(std::size_t i) const;  // of the row at y = i + 1

    // Builders used while drawing; each returns the offset of what it appended.
    std::uint32_t add_string(std::string_view s);
    std::uint32_t add_values(std::size_t n);                   // n zeros to fill in
    std::uint32_t add_values(const double* v, std::size_t n);  // a copy of v[0, n)
    Primitive& add_primitive(PrimitiveKind kind, int series = -1);
};

// The box of every text the recording draws, in drawing order: what the layout tests check for
// overlaps and for text leaving its plot.
std::vector<TextBox> text_boxes(const Recording& rec);
Box text_box(const Primitive& p);
bool boxes_overlap(const Box& a, const Box& b);

}  // namespace rl::plot
