#pragma once

#include <imgui.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plot/recording.hpp"

// REINFORCE Lab's plot widgets, drawn on ImDrawList, with an API modelled on ImPlot:
//
//   if (plot::BeginPlot("##snr", "Signal-to-noise vs K", size)) {
//       plot::SetupAxis(plot::Axis::kX, {.label = "K", .log = true});
//       plot::PlotLine("none", ks, snr, n, {.color = style.palette[0]});
//       plot::EndPlot();
//   }
//
// Setup calls come first and are locked once a Plot* call has been made. Every plot is recorded
// as primitives (plot/recording.hpp) while it is drawn, so the same plot can be rendered to SVG
// and its series written as CSV.
namespace rl::plot {

// Colours and sizes shared by every plot; the app fills one per theme. Sizes are in unscaled
// pixels and multiplied by `scale` (DPI and presenter mode).
struct PlotStyle {
    Rgba background{1, 1, 1, 1};
    Rgba frame{0.55f, 0.55f, 0.55f, 1};
    Rgba grid{0.85f, 0.85f, 0.85f, 1};
    Rgba text{0.05f, 0.05f, 0.05f, 1};
    Rgba text_dim{0.35f, 0.35f, 0.35f, 1};
    Rgba legend_background{1, 1, 1, 0.85f};
    std::vector<Rgba> palette;  // series colours in order; empty: a colour-blind-safe default
    Rgba rest{0.43f, 0.43f, 0.43f, 1};  // what no palette colour names ("the rest"): a grey
    float scale = 1.0f;
    float line_width = 2.0f;
    float marker_size = 3.0f;
    float tick_spacing = 90.0f;  // about one labelled tick per this many pixels
    float padding = 6.0f;
};

enum class Axis { kX, kY };

inline constexpr double kAuto = std::numeric_limits<double>::quiet_NaN();

struct AxisSpec {
    std::string label;
    bool log = false;           // base-10 log scale; values <= 0 are not drawn
    bool include_zero = false;  // auto-fit keeps 0 in range (linear axes only)
    double min = kAuto;         // a finite value fixes that end; NaN: auto-fit
    double max = kAuto;
    bool percent = false;  // tick labels as percentages of 1 (0.25 -> "25%")
};

// kOutsideEast puts the legend beside the data area, which narrows to make room: for plots whose
// data can fill every corner (a scatter). kOutsideSouth flows the entries in rows under the plot.
// A legend that would leave the data too little room (beside it: under half the width; in a
// corner: over half the area's width or height) moves under the plot instead.
enum class LegendCorner {
    kNorthWest,
    kNorthEast,
    kSouthWest,
    kSouthEast,
    kOutsideEast,
    kOutsideSouth,
    kNone
};

struct LineStyle {
    Rgba color{0, 0, 0, 1};
    float width = 0.0f;  // 0: the style's line width
    bool dashed = false;
    // With `dashed`: the dash and gap lengths in unscaled pixels; 0: a pattern that reads as
    // dashes at any width. Distinct patterns keep coinciding curves apart.
    float dash = 0.0f, gap = 0.0f;
    bool in_legend = true;
};

enum class MarkerShape { kCircle, kSquare, kDiamond, kCross };

struct MarkerStyle {
    Rgba color{0, 0, 0, 1};
    float size = 0.0f;  // radius in unscaled pixels; 0: the style's marker size
    MarkerShape shape = MarkerShape::kCircle;
    bool filled = true;
    float outline_width = 1.5f;
    Rgba outline{0, 0, 0, 0};  // alpha 0: no outline
    bool in_legend = true;
};

// A Context holds every plot's state (view, zoom, hidden legend entries, last recording). There is
// no implicit one: without a current context BeginPlot asserts and returns false. CreateContext
// makes the new context current when none is.
struct Context;
Context* CreateContext();
void DestroyContext(Context* context);
void SetCurrentContext(Context* context);
Context* GetCurrentContext();

void SetStyle(const PlotStyle& style);
const PlotStyle& GetStyle();
// The palette's i-th colour (wraps around), and how many colours it has before it repeats.
Rgba PaletteColor(int i);
int PaletteSize();

// size: pixels; a component <= 0 takes the available content region. Returns false when the plot
// is clipped away; then call nothing else, not even EndPlot.
// Mouse: the wheel zooms about the cursor (Shift: x only, Ctrl: y only; over an axis' labels:
// that axis), a left drag pans, a double-click refits. Once zoomed or panned, auto-fit stays off
// until the double-click. A click on a legend entry hides or shows its series.
bool BeginPlot(const char* id, const char* title, ImVec2 size);
void SetupAxis(Axis axis, const AxisSpec& spec);
void SetupLegend(LegendCorner corner);
// Category labels under the x ticks 0, 1, ..., count-1 (bar charts), instead of numbers.
void SetupCategories(const std::vector<std::string>& labels);
// Names for the y axis' rows 1, 2, ... (PlotCells' rows, the first at the bottom), instead of
// numbers; where rows are too close for every name, every few are named.
void SetupRowNames(const std::vector<std::string>& labels);

// Data as pointer + count, with an offset into a ring buffer and a stride in bytes.
void PlotLine(const char* label, const double* xs, const double* ys, int count,
              const LineStyle& style, int offset = 0, int stride = sizeof(double));
// A filled band between lo and hi (a 10-90% range); fill is usually a translucent colour.
void PlotBand(const char* label, const double* xs, const double* lo, const double* hi, int count,
              Rgba fill);
void PlotScatter(const char* label, const float* xs, const float* ys, int count,
                 const MarkerStyle& style);
void PlotMarker(const char* label, double x, double y, const MarkerStyle& style);
// Bars at x = 0, 1, ..., count-1, of the given width in x units, from 0 to value.
void PlotBars(const char* label, const double* values, int count, double width, Rgba color);
void PlotArrow(const char* label, double x0, double y0, double x1, double y1,
               const LineStyle& style);
// The n-sigma contour of the Gaussian with this mean and covariance.
void PlotEllipse(const char* label, double cx, double cy, double var_x, double var_y, double cov_xy,
                 double n_sigma, const LineStyle& style);
void PlotHLine(const char* label, double y, const LineStyle& style);
void PlotVLine(const char* label, double x, const LineStyle& style);
// A texture stretched over the data rectangle; also fits the axes to it. `pixels`, when given,
// are what the texture shows, for SVG and CSV export; the screen draws the texture (none: nothing).
void PlotImage(const char* label, ImTextureID texture, double x_min, double y_min, double x_max,
               double y_max, std::shared_ptr<const ImagePixels> pixels = nullptr);
// Text anchored at a data point, shifted by a pixel offset (scaled).
void PlotText(double x, double y, const char* text, Rgba color, ImVec2 pixel_offset = {0, 0});
// A heat map of rows x cols values (row-major) with the colours the caller chose for them: cell
// (r, c) covers x in [c - 0.5, c + 0.5] and y in [r + 0.5, r + 1.5], so rows read 1, 2, ... on
// the y axis and columns line up with SetupCategories' labels. Not in the legend.
void PlotCells(const char* label, const double* values, const Rgba* colors, int rows, int cols);
void EndPlot();

// `text` cut at a character boundary, with an ellipsis, to at most max_width pixels in ImGui's
// current font; empty when not even the ellipsis fits. What every plot does with a label too
// long for its room, for panels that want the same.
std::string fit_text(std::string_view text, float max_width);

// True when the legend entry `label` of the plot being built has been switched off by a click.
bool IsHidden(const char* label);
// Switches the legend entry `label` of the plot being built off or on, as a click would; it takes
// effect in this frame if called before EndPlot. For restoring a session and for tests.
void SetHidden(const char* label, bool hidden);

// What the mouse pointed at in the plot that ended last (EndPlot), as the tooltip showed it.
struct Hover {
    int series = -1;  // index into that plot's Recording::series; -1: nothing under the mouse
    int row = -1;     // the data row
    double x = 0, y = 0;
    std::string text;  // the tooltip's text
};
const Hover& LastHover();

// The primitives and series of the last frame's plot `id`, or null when it was not drawn.
const Recording* LastRecording(const char* id);

}  // namespace rl::plot
