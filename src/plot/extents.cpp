#include <cmath>
#include <limits>

#include "plot/internal.hpp"

// Auto-fit: what each visible series asks the axes to show, then fit.hpp's rule.
namespace rl::plot {
namespace {

// Extent::add per value, with the finite (and positive) test folded into one comparison so the
// loop stays cheap over a long history. NaN fails every comparison and drops out by itself.
void add_all(Extent& e, std::span<const double> values, bool log) {
    constexpr double kMax = std::numeric_limits<double>::max();
    double lo = e.min;
    double hi = e.max;
    if (log) {
        for (const double v : values) {
            if (v > 0 && v <= kMax) {
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
        }
    } else {
        for (const double v : values) {
            if (v >= -kMax && v <= kMax) {
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
        }
    }
    e.min = lo;
    e.max = hi;
}

void add_series(const Recording& rec, const Series& s, const bool log[2], Extent ext[2]) {
    Extent& ex = ext[kAxisX];
    Extent& ey = ext[kAxisY];
    switch (s.kind) {
        case SeriesKind::kText:
            return;  // annotations follow the data, they do not stretch the axes
        case SeriesKind::kBars: {
            if (s.count == 0) return;
            ex.add(-0.5 * s.bar_width, log[kAxisX]);
            ex.add(static_cast<double>(s.count - 1) + 0.5 * s.bar_width, log[kAxisX]);
            ey.add(0.0, log[kAxisY]);  // bars rise from zero
            add_all(ey, rec.ys(s), log[kAxisY]);
            return;
        }
        case SeriesKind::kCells:
            for (const double x : rec.xs(s)) {
                ex.add(x - 0.5, log[kAxisX]);
                ex.add(x + 0.5, log[kAxisX]);
            }
            for (const double y : rec.ys(s)) {
                ey.add(y - 0.5, log[kAxisY]);
                ey.add(y + 0.5, log[kAxisY]);
            }
            return;
        case SeriesKind::kImage:
            ex.add(s.bounds[0], log[kAxisX]);
            ex.add(s.bounds[2], log[kAxisX]);
            ey.add(s.bounds[1], log[kAxisY]);
            ey.add(s.bounds[3], log[kAxisY]);
            return;
        case SeriesKind::kBand:
            add_all(ex, rec.xs(s), log[kAxisX]);
            add_all(ey, rec.los(s), log[kAxisY]);
            add_all(ey, rec.his(s), log[kAxisY]);
            return;
        default:
            // Lines, markers, arrows, ellipse outlines; HLine has only y, VLine only x.
            add_all(ex, rec.xs(s), log[kAxisX]);
            add_all(ey, rec.ys(s), log[kAxisY]);
            return;
    }
}

}  // namespace

void fit_view(Context& ctx, PlotState& state) {
    const bool log[2] = {ctx.axes[kAxisX].log, ctx.axes[kAxisY].log};
    // A view made for the other scale means nothing on this one (and may be <= 0 on a log axis).
    if (state.has_view &&
        (state.view_log[kAxisX] != log[kAxisX] || state.view_log[kAxisY] != log[kAxisY])) {
        state.has_view = false;
        state.user_view = false;
        state.panning = false;
    }
    if (state.has_view && state.user_view) return;
    Extent ext[2];
    const Recording& rec = state.building;
    for (const Series& s : rec.series) {
        if (!s.hidden) add_series(rec, s, log, ext);
    }
    for (int a = 0; a < 2; ++a) {
        const AxisSpec& spec = ctx.axes[a];
        FitSpec fit;
        fit.log = spec.log;
        fit.include_zero = spec.include_zero;
        fit.fixed_min = spec.min;
        fit.fixed_max = spec.max;
        state.view[a] = auto_view(state.has_view ? &state.view[a] : nullptr, ext[a], fit,
                                  state.sparse_frames[a]);
        state.view_log[a] = spec.log;
    }
    state.has_view = true;
}

}  // namespace rl::plot
