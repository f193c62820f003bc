#pragma once

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plot/decimate.hpp"
#include "plot/fit.hpp"
#include "plot/geometry.hpp"
#include "plot/plot.hpp"
#include "plot/recording.hpp"
#include "plot/replay.hpp"
#include "plot/ticks.hpp"
#include "plot/transform.hpp"

// What the plot module's files share and nothing outside it needs: the context, the state kept
// per plot between frames, and the steps EndPlot runs.
namespace rl::plot {

inline constexpr int kAxisX = 0;
inline constexpr int kAxisY = 1;

// Kept from frame to frame for one plot (keyed by its ImGui id).
struct PlotState {
    ImGuiID name_hash = 0;  // of the id string alone, for LastRecording
    bool has_view = false;
    bool user_view = false;  // zoomed or panned: auto-fit is off until a double-click
    Range view[2];
    int sparse_frames[2] = {0, 0};      // auto-fit's shrink delay, per axis
    bool view_log[2] = {false, false};  // the axes' log flags when `view` was set
    std::vector<ImGuiID> hidden;        // legend entries switched off, by label hash
    Recording building;                 // this frame's, while it is drawn
    Recording last;                     // the last completed one
    int completed_frame = -1;
    // Panning: what the press grabbed and the view at the press.
    bool panning = false;
    bool pan_axis[2] = {false, false};
    Range pan_start[2];
};

// The legend's size in each arrangement, for the layout to choose one.
struct LegendMetrics {
    int entries = 0;
    float font = 0;  // the legend's text size: the plot's, or smaller when that would crowd it
    float row = 0, swatch = 0;
    float max_text = 0;                // a name in a column legend is cut to this
    float column_w = 0, column_h = 0;  // one entry per row (a corner or beside the data)
    float flow_text = 0, flow_h = 0;   // entries flowing in rows under the plot
};

// Where things go in the widget this frame; pixels relative to its top-left.
struct Layout {
    float width = 0, height = 0;
    Box area;
    float font = 13;  // ImGui's current font size
    float scale = 1;
    float pad = 6;
    float tick_length = 4;
    float gap = 3;        // between a tick and its label
    int x_tick_rows = 1;  // lines the x tick labels take: 2 when category names alternate
    AxisTransform tx, ty;
    DRect clip;  // the area, for the clippers
    // Where the legend goes this frame: the plot's wish, or kOutsideSouth when that would crowd
    // the data; kNone when there is none.
    LegendCorner legend = LegendCorner::kNone;
    LegendMetrics legend_size;  // measured once, for the layout and the legend's drawing
};

struct Context {
    PlotStyle style;
    std::unordered_map<ImGuiID, PlotState> plots;

    // The plot between BeginPlot and EndPlot.
    PlotState* current = nullptr;
    AxisSpec axes[2];
    LegendCorner legend = LegendCorner::kNorthEast;
    bool locked = false;  // a Plot* call was made: setup is over
    ImVec2 origin;        // the widget's top-left, screen pixels
    ImVec2 size;
    bool hovered = false;  // the widget's invisible button
    bool active = false;

    // Scratch reused by every plot, so drawing allocates nothing once warmed up.
    TickSet ticks[2];
    std::vector<DPoint> pixels, decimated, clipped;
    std::vector<std::uint32_t> piece_sizes;
    std::vector<BandPoint> band, band_decimated;
    ReplayScratch replay;
    std::vector<Box> text_scratch;
    std::vector<int> legend_scratch;
    Hover hover;  // of the last plot that ended
};

// The current context; null when none.
Context* current_context();

// A legend entry's identity: ImGui's hash of the full label, so "a##1" and "a##2" differ.
ImGuiID label_hash(std::string_view full_label);
bool is_hidden(const PlotState& state, ImGuiID hash);

// The display part of a label: up to "##".
std::string_view display_label(const char* label);

// EndPlot's steps, in order.
void handle_input(Context& ctx, PlotState& state);                         // interaction.cpp
void fit_view(Context& ctx, PlotState& state);                             // extents.cpp
void compute_layout(Context& ctx, Recording& rec, Layout& layout);         // layout.cpp
void emit_background(Context& ctx, const Layout& layout, Recording& rec);  // frame.cpp
void emit_series(Context& ctx, const Layout& layout, Recording& rec);      // series.cpp
void emit_axes(Context& ctx, const Layout& layout, Recording& rec);        // frame.cpp
void emit_legend(Context& ctx, const Layout& layout, Recording& rec);      // legend.cpp
// Needs the layout's font, pad, gap, scale and width. `entries` receives each row's first
// series, which emit_legend draws (legend.cpp).
// text_scale: the legend's font size relative to the plot's.
LegendMetrics measure_legend(const Recording& rec, const Layout& l, float text_scale,
                             std::vector<int>& entries);
void show_hover(Context& ctx, const Layout& layout, const Recording& rec);  // interaction.cpp

Rgba with_alpha(Rgba c, float a);

// Removes (empties) each expendable text (a tick label) that leaves the widget or touches a text
// kept before it; the others were fitted where they were placed. `scratch`: reused storage.
void drop_crowded_labels(Recording& rec, float width, float height, std::vector<Box>& scratch);

// Primitive builders shared by the emitters (primitives.cpp). Text is measured here, with
// ImGui's current font at `font_size`.
void add_segment(Recording& rec, Point a, Point b, Rgba color, float width, int series = -1);
void add_rect(Recording& rec, Box box, Rgba color, bool filled, float width, int series = -1);
void add_text(Recording& rec, Point at, Point anchor, std::string_view text, Rgba color,
              float font_size, int series = -1);
// Dashes long enough to read as dashes at any width, or the series' own pattern.
inline void set_dashes(Primitive& p, float scale, const Series* s = nullptr) {
    if (s != nullptr && s->dash > 0.0f) {
        p.dash = s->dash;
        p.gap = std::max(s->gap, 1.0f);
        return;
    }
    p.dash = std::max(5.0f * scale, 3.0f * p.width);
    p.gap = std::max(3.5f * scale, 2.0f * p.width);
}
// The middle of a pixel, where a one-pixel line is sharp.
inline float pixel_centre(double v) {
    return static_cast<float>(std::floor(v) + 0.5);
}

}  // namespace rl::plot
