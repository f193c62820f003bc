#include <algorithm>
#include <cmath>

#include "plot/format.hpp"
#include "plot/internal.hpp"

// Mouse input. Over the data area: the wheel zooms both axes about the cursor (Shift: x only,
// Ctrl: y only), a left drag pans, a double-click refits and returns to auto-fit. Over an axis'
// tick labels the wheel and the drag act on that axis alone. A click on a legend row hides or
// shows the series with that label. Input is read against the previous frame's layout, which is
// what the user saw when acting.
namespace rl::plot {
namespace {

constexpr float kZoomPerNotch = 0.85f;  // view span factor per wheel notch towards the user
constexpr float kHoverRadius = 16.0f;   // pixels (scaled) within which a point is "hovered"
constexpr float kRingRadius = 5.0f;
// Zooming stops where a double could no longer resolve the view, or a log view spans absurdly.
constexpr double kMinRelativeSpan = 1e-12;
constexpr double kMaxLogSpan = 600.0;

Point relative_mouse(const Context& ctx) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    return {m.x - ctx.origin.x, m.y - ctx.origin.y};
}

bool usable_span(double u0, double u1, bool log) {
    if (!std::isfinite(u0) || !std::isfinite(u1) || !(u1 > u0)) return false;
    if (log && u1 - u0 > kMaxLogSpan) return false;
    return u1 - u0 > kMinRelativeSpan * std::max({std::abs(u0), std::abs(u1), 1e-300});
}

void toggle(std::vector<ImGuiID>& hidden, ImGuiID hash) {
    const auto it = std::find(hidden.begin(), hidden.end(), hash);
    if (it == hidden.end()) {
        hidden.push_back(hash);
    } else {
        hidden.erase(it);
    }
}

ImU32 to_u32(const Rgba& c) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}

}  // namespace

void handle_input(Context& ctx, PlotState& state) {
    ImGuiIO& io = ImGui::GetIO();
    if (!io.MouseDown[0]) state.panning = false;
    // Input needs last frame's picture (what the user aimed at) and a view to change.
    if (state.completed_frame < 0 || !state.has_view) return;
    const Recording& prev = state.last;
    const Box& area = prev.plot_area;
    if (area.width() <= 0 || area.height() <= 0) return;
    const Point mouse = relative_mouse(ctx);
    const bool in_area = area.contains(mouse);
    const bool on_x_axis = mouse.x >= area.x0 && mouse.x <= area.x1 && mouse.y > area.y1;
    const bool on_y_axis = mouse.y >= area.y0 && mouse.y <= area.y1 && mouse.x < area.x0;
    const LegendEntry* entry = nullptr;
    for (const LegendEntry& e : prev.legend) {
        if (e.box.contains(mouse)) entry = &e;
    }

    if (ctx.hovered && ImGui::IsMouseClicked(0)) {
        if (entry != nullptr) {
            const Series& s = prev.series[static_cast<std::size_t>(entry->series)];
            toggle(state.hidden, label_hash(prev.full_label(s)));
            return;
        }
        if (in_area || on_x_axis || on_y_axis) {
            state.panning = true;
            state.pan_axis[kAxisX] = in_area || on_x_axis;
            state.pan_axis[kAxisY] = in_area || on_y_axis;
            state.pan_start[kAxisX] = state.view[kAxisX];
            state.pan_start[kAxisY] = state.view[kAxisY];
        }
    }
    if (ctx.hovered && in_area && entry == nullptr && ImGui::IsMouseDoubleClicked(0)) {
        state.has_view = false;  // a fresh fit, not the hysteresis from the zoomed view
        state.user_view = false;
        state.panning = false;
        return;
    }

    const double pixels[2] = {area.width(), area.height()};
    if (state.panning && ctx.active) {
        const ImVec2 drag = ImGui::GetMouseDragDelta(0, 0.0f);
        if (drag.x != 0 || drag.y != 0) {
            // Screen y grows downward, data y upward.
            const double moved[2] = {-drag.x, drag.y};
            for (int a = 0; a < 2; ++a) {
                if (!state.pan_axis[a]) continue;
                const bool log = state.view_log[a];
                const double u0 = to_axis_space(state.pan_start[a].min, log);
                const double u1 = to_axis_space(state.pan_start[a].max, log);
                const double du = moved[a] / pixels[a] * (u1 - u0);
                if (!usable_span(u0 + du, u1 + du, log)) continue;
                state.view[a] = {from_axis_space(u0 + du, log), from_axis_space(u1 + du, log)};
            }
            state.user_view = true;
        }
    }

    if (ctx.hovered && io.MouseWheel != 0 && !state.panning &&
        (in_area || on_x_axis || on_y_axis)) {
        const bool zoom[2] = {(in_area && !io.KeyCtrl) || on_x_axis,
                              (in_area && !io.KeyShift) || on_y_axis};
        const double factor = std::pow(static_cast<double>(kZoomPerNotch), io.MouseWheel);
        const double at[2] = {(mouse.x - area.x0) / pixels[0], (area.y1 - mouse.y) / pixels[1]};
        for (int a = 0; a < 2; ++a) {
            if (!zoom[a]) continue;
            const bool log = state.view_log[a];
            const double u0 = to_axis_space(state.view[a].min, log);
            const double u1 = to_axis_space(state.view[a].max, log);
            // The data value under the cursor stays under the cursor.
            const double uc = u0 + std::clamp(at[a], 0.0, 1.0) * (u1 - u0);
            const double n0 = uc - (uc - u0) * factor;
            const double n1 = uc + (u1 - uc) * factor;
            if (!usable_span(n0, n1, log)) continue;
            state.view[a] = {from_axis_space(n0, log), from_axis_space(n1, log)};
            state.user_view = true;
        }
    }
}

// The cell under (xd, yd) of the topmost cells series, named by its column's category (or x)
// and its row's name (or y), then its value: hover filled and true, or false when none is there.
bool hover_cell(const Recording& rec, double xd, double yd, Hover& hover) {
    if (!std::isfinite(xd) || !std::isfinite(yd)) return false;
    const double col = std::round(xd), row = std::round(yd);
    for (std::size_t i = rec.series.size(); i-- > 0;) {
        const Series& s = rec.series[i];
        if (s.hidden || s.kind != SeriesKind::kCells) continue;
        const auto xs = rec.xs(s);
        const auto ys = rec.ys(s);
        for (std::size_t k = 0; k < xs.size(); ++k) {
            if (xs[k] != col || ys[k] != row) continue;
            hover.series = static_cast<int>(i);
            hover.row = static_cast<int>(k);
            hover.x = col;
            hover.y = row;
            std::string& t = hover.text;
            if (const std::string_view name = rec.label(s); !name.empty()) (t += name) += ": ";
            const auto c = static_cast<std::size_t>(col);
            const auto r = static_cast<std::size_t>(row) - 1;
            if (c < rec.category_count()) {
                t += rec.category(c);
            } else {
                t += "x = ";
                append_value(col, false, t);
            }
            if (r < rec.row_name_count()) {
                (t += ", ") += rec.row_name(r);
            } else {
                t += ", y = ";
                append_value(row, false, t);
            }
            t += " = ";
            append_value(rec.cell_values(s)[k], false, t);
            return true;
        }
    }
    return false;
}

void show_hover(Context& ctx, const Layout& l, const Recording& rec) {
    Hover& hover = ctx.hover;
    hover.series = -1;
    hover.row = -1;
    hover.x = hover.y = 0;
    hover.text.clear();  // keeps its capacity, unlike assigning a fresh Hover
    if (!ctx.hovered || ctx.current->panning) return;
    const Point mouse = relative_mouse(ctx);
    if (!l.area.contains(mouse)) return;
    for (const LegendEntry& e : rec.legend) {
        if (e.box.contains(mouse)) return;
    }

    const float radius = kHoverRadius * l.scale;
    double best = static_cast<double>(radius) * radius;
    DPoint at;
    double lo = 0, hi = 0;
    bool band = false;
    auto consider = [&](int series, std::size_t row, double x, double y) {
        const DPoint p{l.tx.to_pixel(x), l.ty.to_pixel(y)};
        if (!is_finite(p)) return false;
        const double d2 = (p.x - mouse.x) * (p.x - mouse.x) + (p.y - mouse.y) * (p.y - mouse.y);
        if (d2 >= best) return false;
        best = d2;
        at = p;
        hover.series = series;
        hover.row = static_cast<int>(row);
        hover.x = x;
        hover.y = y;
        return true;
    };
    for (std::size_t i = 0; i < rec.series.size(); ++i) {
        const Series& s = rec.series[i];
        if (s.hidden) continue;
        const int index = static_cast<int>(i);
        if (s.kind == SeriesKind::kLine || s.kind == SeriesKind::kScatter ||
            s.kind == SeriesKind::kMarker) {
            const auto xs = rec.xs(s);
            const auto ys = rec.ys(s);
            for (std::size_t k = 0; k < xs.size(); ++k) {
                if (consider(index, k, xs[k], ys[k])) band = false;
            }
        } else if (s.kind == SeriesKind::kBand) {
            const auto xs = rec.xs(s);
            const auto los = rec.los(s);
            const auto his = rec.his(s);
            for (std::size_t k = 0; k < xs.size(); ++k) {
                const bool near_lo = consider(index, k, xs[k], los[k]);
                const bool near_hi = consider(index, k, xs[k], his[k]);
                if (near_lo || near_hi) {
                    band = true;
                    lo = los[k];
                    hi = his[k];
                }
            }
        }
    }
    bool bar = false;
    if (hover.series < 0) {
        // No point near: a bar under the cursor reports its category and value.
        const double xd = l.tx.to_data(mouse.x);
        for (std::size_t i = 0; i < rec.series.size() && !bar; ++i) {
            const Series& s = rec.series[i];
            if (s.hidden || s.kind != SeriesKind::kBars || !std::isfinite(xd)) continue;
            const double k = std::round(xd);
            if (k < 0 || k >= s.count || std::abs(xd - k) > 0.5 * s.bar_width) continue;
            const double v = rec.ys(s)[static_cast<std::size_t>(k)];
            const double p0 = l.ty.to_pixel(l.ty.log() ? l.ty.min() : 0.0);
            const double p1 = l.ty.to_pixel(v);
            if (!(mouse.y >= std::min(p0, p1) - 1 && mouse.y <= std::max(p0, p1) + 1)) continue;
            bar = true;
            hover.series = static_cast<int>(i);
            hover.row = static_cast<int>(k);
            hover.x = k;
            hover.y = v;
        }
    }
    if (hover.series < 0) {
        // Nothing else there: a cell of a heat map reports where it is and its value.
        if (hover_cell(rec, l.tx.to_data(mouse.x), l.ty.to_data(mouse.y), hover)) {
            ImGui::BeginTooltip();
            ImGui::TextUnformatted(hover.text.c_str());
            ImGui::EndTooltip();
        }
        return;
    }

    const Series& s = rec.series[static_cast<std::size_t>(hover.series)];
    std::string& t = hover.text;
    const std::string_view name = rec.label(s);
    if (!name.empty()) {
        t += name;
        t += ": ";
    }
    const auto row = static_cast<std::size_t>(hover.row);
    if (bar && row < rec.category_count()) {
        t += rec.category(row);
    } else {
        t += "x = ";
        append_value(hover.x, rec.x.percent, t);
    }
    t += bar && row < rec.category_count() ? " = " : ", y = ";
    if (band) {
        append_value(lo, rec.y.percent, t);
        t += " .. ";
        append_value(hi, rec.y.percent, t);
    } else {
        append_value(hover.y, rec.y.percent, t);
    }

    if (!bar) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 o = ctx.origin;
        dl->PushClipRect({o.x + l.area.x0, o.y + l.area.y0}, {o.x + l.area.x1, o.y + l.area.y1},
                         true);
        dl->AddCircle({o.x + static_cast<float>(at.x), o.y + static_cast<float>(at.y)},
                      kRingRadius * l.scale, to_u32(ctx.style.text), 0, 1.5f * l.scale);
        dl->PopClipRect();
    }
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(t.c_str());
    ImGui::EndTooltip();
}

}  // namespace rl::plot
