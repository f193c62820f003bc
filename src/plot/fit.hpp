#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

// Auto-fit of one axis. The view jumps out at once to take in new data (with headroom), but
// shrinks only when the data have filled less than half of it for a number of frames in a row;
// fitted limits are padded and rounded outward to a fine 1-2-5 step. A history that grows every
// frame therefore moves its axis now and then, and noisy data do not make it breathe.
namespace rl::plot {

struct Range {
    double min = 0, max = 1;  // data units
};

// The finite values an axis can show (positive ones on a log axis).
struct Extent {
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();

    void add(double v, bool log) {
        if (!std::isfinite(v) || (log && !(v > 0))) return;
        min = std::min(min, v);
        max = std::max(max, v);
    }
    bool empty() const { return !(min <= max); }
};

struct FitSpec {
    bool log = false;
    bool include_zero = false;                                    // linear axes only
    double fixed_min = std::numeric_limits<double>::quiet_NaN();  // finite: that end is fixed
    double fixed_max = std::numeric_limits<double>::quiet_NaN();
};

// Padding on each side, as a share of the data's span (in axis space).
inline constexpr double kFitPadding = 0.05;
// When data cross an edge of the view, that edge moves out this far beyond them, so a growing
// history crosses it again only after growing by about this share.
inline constexpr double kGrowPadding = 0.2;
// The view is refitted when the data span less than this share of it for kShrinkAfterFrames
// consecutive frames (a quarter second at 60 fps).
inline constexpr double kShrinkBelow = 0.5;
inline constexpr int kShrinkAfterFrames = 15;

// The view that fits `data` from scratch: padded by `padding`, rounded outward (linear axes) to
// the 1-2-5 step of a twentieth of the span, fixed ends applied. No data: [0, 1], or [1, 10] on a
// log axis. All values equal: a span around them (10% of the value, or half a decade).
Range fit_range(const Extent& data, const FitSpec& spec, double padding = kFitPadding);

// The next frame's view given the current one (null: none yet), with the hysteresis above.
// `sparse_frames` counts the frames in a row the data were sparse; keep it per axis.
Range auto_view(const Range* current, const Extent& data, const FitSpec& spec, int& sparse_frames);

}  // namespace rl::plot
