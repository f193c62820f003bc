#include <algorithm>
#include <cmath>
#include <limits>

#include "plot/internal.hpp"

// Where the title, the axes and the data area go. Text is measured with ImGui's current font,
// so the layout follows the font size (DPI, presenter mode) as well as style.scale.
namespace rl::plot {
namespace {

// y labels are one line tall, so they can sit closer than the x labels' tick_spacing.
constexpr double kYSpacingShare = 0.6;
// Halving the tick density this many times at most, when x labels would touch.
constexpr int kMaxThinning = 4;
constexpr float kMinAreaSide = 20.0f;
// A legend that crowds its plot is tried again at this share of the font size.
constexpr float kSmallLegendText = 0.75f;

float text_width(std::string_view s) {
    return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x;
}

float widest_label(const TickSet& ticks) {
    float w = 0;
    for (const Tick& t : ticks.ticks) {
        if (t.labelled) w = std::max(w, text_width(ticks.label(t)));
    }
    return w;
}

void axis_ticks(const AxisSpec& spec, Range view, double target, TickSet& out) {
    if (spec.log) {
        log_ticks(view.min, view.max, target, spec.percent, out);
    } else {
        linear_ticks(view.min, view.max, target, spec.percent, out);
    }
}

// Pixels between neighbouring labelled ticks (the smallest such gap).
double labelled_gap(const TickSet& ticks, const AxisTransform& t) {
    double gap = std::numeric_limits<double>::infinity();
    double previous = std::numeric_limits<double>::quiet_NaN();
    for (const Tick& tick : ticks.ticks) {
        if (!tick.labelled) continue;
        const double p = t.to_pixel(tick.value);
        if (std::isfinite(previous)) gap = std::min(gap, std::abs(p - previous));
        previous = p;
    }
    return gap;
}

// Category names at 0, 1, ..., count-1, centred on their ticks; a name that would leave the widget
// or touch the one kept before it in its row slides sideways while its tick stays under its middle
// half, and is dropped only if that is not enough, so short names keep their place beside long
// ones. With two rows the names alternate lines, each row with twice the room.
void category_ticks(const Recording& rec, Range view, const AxisTransform& tx, float widget_w,
                    float font, int rows, TickSet& out) {
    out.clear();
    const std::size_t n = rec.category_count();
    double kept_rights[2] = {-std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()};
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = static_cast<std::uint8_t>(rows > 1 ? i % 2 : 0);
        double& kept_right = kept_rights[row];
        const auto v = static_cast<double>(i);
        if (v < view.min || v > view.max) continue;
        Tick& t = out.ticks.emplace_back();
        t.value = v;
        t.major = true;
        const double half = 0.5 * text_width(rec.category(i));
        const double tick = tx.to_pixel(v);
        // The sideways moves that keep the name in the widget, clear of the one before by half a
        // font, and its middle half over its tick; the smallest of them, if there is one.
        const double reach = 0.5 * half;
        const double lower =
            std::max({half - tick, kept_right + 0.5 * font - (tick - half), -reach});
        const double upper = std::min(widget_w - half - tick, reach);
        t.labelled = lower <= upper;
        t.label_shift = t.labelled ? static_cast<float>(std::clamp(0.0, lower, upper)) : 0.0f;
        t.label_row = row;
        t.label_first = static_cast<std::uint32_t>(out.labels.size());
        if (t.labelled) {
            out.labels += rec.category(i);
            kept_right = tick + t.label_shift + half;
        }
        t.label_size = static_cast<std::uint32_t>(out.labels.size()) - t.label_first;
    }
    out.step = 1;
}

// Row names at 1, 2, ..., count: every row has a tick, and every k-th a name, k the least that
// keeps names a line and a fifth apart in `pixels` of height.
void row_ticks(const Recording& rec, Range view, double pixels, float font, TickSet& out) {
    out.clear();
    const std::size_t n = rec.row_name_count();
    const double per_row = view.max > view.min ? pixels / (view.max - view.min) : 0.0;
    const std::size_t every =
        per_row > 0.0 ? static_cast<std::size_t>(std::max(1.0, std::ceil(1.2 * font / per_row)))
                      : n;
    for (std::size_t i = 0; i < n; ++i) {
        const auto v = static_cast<double>(i + 1);
        if (v < view.min || v > view.max) continue;
        Tick& t = out.ticks.emplace_back();
        t.value = v;
        t.major = true;
        t.labelled = i % every == 0;
        t.label_first = static_cast<std::uint32_t>(out.labels.size());
        if (t.labelled) out.labels += rec.row_name(i);
        t.label_size = static_cast<std::uint32_t>(out.labels.size()) - t.label_first;
    }
    out.step = 1;
}

// Ticks for one axis with at least two labelled (a single number does not give a scale): the
// density doubles, a few times at most, until there are.
void labelled_ticks(const AxisSpec& spec, Range view, double target, TickSet& out) {
    axis_ticks(spec, view, target, out);
    for (int i = 0; i < kMaxThinning && out.labelled_count() < 2; ++i) {
        target *= 2.0;
        axis_ticks(spec, view, target, out);
    }
}

}  // namespace

void compute_layout(Context& ctx, Recording& rec, Layout& l) {
    const PlotStyle& style = ctx.style;
    const PlotState& state = *ctx.current;
    const AxisSpec& xs = ctx.axes[kAxisX];
    const AxisSpec& ys = ctx.axes[kAxisY];
    l.width = ctx.size.x;
    l.height = ctx.size.y;
    l.scale = style.scale;
    l.font = ImGui::GetFontSize();
    l.pad = style.padding * l.scale;
    l.tick_length = 4.0f * l.scale;
    l.gap = 3.0f * l.scale;

    rec.x_label = xs.label;
    rec.y_label = ys.label;
    rec.x = {state.view[kAxisX].min, state.view[kAxisX].max, xs.log, xs.percent};
    rec.y = {state.view[kAxisY].min, state.view[kAxisY].max, ys.log, ys.percent};

    const float title_h = rec.title.empty() ? 0.0f : l.font + l.pad;
    const float x_label_h = xs.label.empty() ? 0.0f : l.font + l.gap;
    // The rotated label's descenders reach the edge of its box; a full pad keeps them off the
    // ticks.
    const float y_label_w = ys.label.empty() ? 0.0f : l.font + l.pad;
    const float top = l.pad + title_h;
    const double spacing = style.tick_spacing * l.scale;
    TickSet& yt = ctx.ticks[kAxisY];
    TickSet& xt = ctx.ticks[kAxisX];

    // The data area with `east` pixels kept beside it and `south` under the x label, its x tick
    // labels in `rows` lines.
    auto place_rows = [&](float east, float south, int rows) {
        l.x_tick_rows = rows;
        const float bottom =
            std::max(top + kMinAreaSide,
                     l.height - l.pad - south - x_label_h - rows * l.font - l.gap - l.tick_length);
        if (rec.row_name_count() > 0)
            row_ticks(rec, state.view[kAxisY], bottom - top, l.font, yt);
        else
            labelled_ticks(ys, state.view[kAxisY],
                           target_intervals((bottom - top), spacing * kYSpacingShare), yt);
        const float left = l.pad + y_label_w + widest_label(yt) + l.gap + l.tick_length;
        float right = std::max(left + kMinAreaSide, l.width - l.pad - east);
        auto make_x_ticks = [&] {
            const AxisTransform tx(state.view[kAxisX].min, state.view[kAxisX].max, left, right,
                                   xs.log);
            if (rec.category_count() > 0) {
                category_ticks(rec, state.view[kAxisX], tx, l.width, l.font, rows, xt);
                return;
            }
            double target = target_intervals(right - left, spacing);
            for (int i = 0; i <= kMaxThinning; ++i) {
                labelled_ticks(xs, state.view[kAxisX], target, xt);
                if (xt.labelled_count() < 3 || labelled_gap(xt, tx) >= widest_label(xt) + l.font)
                    break;
                target = std::max(1.0, std::floor(target * 0.5));
            }
        };
        make_x_ticks();
        // The last x label is centred on its tick; if it would stick out of the widget, pull the
        // right edge in and lay the ticks out again.
        for (auto it = xt.ticks.rbegin(); it != xt.ticks.rend(); ++it) {
            if (!it->labelled || rec.category_count() > 0) continue;
            const AxisTransform tx(state.view[kAxisX].min, state.view[kAxisX].max, left, right,
                                   xs.log);
            const double overflow =
                tx.to_pixel(it->value) + 0.5 * text_width(xt.label(*it)) - (l.width - 0.5 * l.pad);
            if (overflow > 0) {
                right = std::max(left + kMinAreaSide, right - static_cast<float>(overflow));
                make_x_ticks();
            }
            break;
        }
        l.area = {std::floor(left), std::floor(top), std::floor(right), std::floor(bottom)};
    };
    // Category names that do not all fit on one line alternate two lines, when that names more.
    auto place = [&](float east, float south) {
        place_rows(east, south, 1);
        const std::size_t n = rec.category_count();
        if (n == 0 || xt.labelled_count() == xt.ticks.size()) return;
        const std::size_t one_row = xt.labelled_count();
        place_rows(east, south, 2);
        if (xt.labelled_count() <= one_row) place_rows(east, south, 1);
    };

    // The legend where the plot asked for it; if it crowds the data there, the same in smaller
    // type; then under the plot, in either size, if that leaves the data two thirds of the height;
    // else none.
    const auto room = [&](LegendCorner c, const LegendMetrics& m) {
        if (c == LegendCorner::kOutsideEast) return Point{m.column_w + l.pad, 0.0f};
        if (c == LegendCorner::kOutsideSouth) return Point{0.0f, m.flow_h + l.gap};
        return Point{0.0f, 0.0f};
    };
    const auto crowded = [&](LegendCorner c, const LegendMetrics& m) {
        switch (c) {
            case LegendCorner::kNone:
                return false;
            case LegendCorner::kOutsideEast:
                return l.area.width() < 0.5f * l.width || m.column_h > l.height - top - l.pad;
            case LegendCorner::kOutsideSouth:
                return m.flow_h + l.gap > l.height / 3.0f;
            default:
                return m.column_w > 0.5f * l.area.width() || m.column_h > 0.5f * l.area.height();
        }
    };
    l.legend = LegendCorner::kNone;
    l.legend_size = {};
    const auto try_place = [&](LegendCorner c, float text_scale) {
        const LegendMetrics m = measure_legend(rec, l, text_scale, ctx.legend_scratch);
        if (m.entries == 0) return true;  // nothing to show: placed without a legend
        const Point r = room(c, m);
        place(r.x, r.y);
        if (crowded(c, m)) return false;
        l.legend = c;
        l.legend_size = m;
        return true;
    };
    bool placed = ctx.legend == LegendCorner::kNone;
    for (const LegendCorner c : {ctx.legend, LegendCorner::kOutsideSouth}) {
        for (const float text_scale : {1.0f, kSmallLegendText}) {
            if (!placed) placed = try_place(c, text_scale);
        }
    }
    if (l.legend == LegendCorner::kNone) place(0.0f, 0.0f);

    rec.plot_area = l.area;
    l.tx =
        AxisTransform(state.view[kAxisX].min, state.view[kAxisX].max, l.area.x0, l.area.x1, xs.log);
    // y grows upward: the view's minimum sits on the bottom edge.
    l.ty =
        AxisTransform(state.view[kAxisY].min, state.view[kAxisY].max, l.area.y1, l.area.y0, ys.log);
    l.clip = {l.area.x0, l.area.y0, l.area.x1, l.area.y1};
}

}  // namespace rl::plot
