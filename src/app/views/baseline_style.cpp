#include "app/views/baseline_style.hpp"

#include "core/choices.hpp"

namespace rl::app {

std::string baseline_name(core::BaselineKind kind) {
    return std::string(core::choice_of(kind).legend);
}

// Baselines keep their palette slot whether or not they have a curve, so colours are stable.
plot::Rgba baseline_color(core::BaselineKind kind) {
    return plot::PaletteColor(static_cast<int>(kind));
}

namespace {

struct Stroke {
    core::BaselineKind kind;
    float width, dash, gap;  // unscaled pixels; dash 0: solid
};

// Widths and dashes that keep E[R], b* and a constant b apart where their curves coincide: the
// widest is drawn first, the thinner ones on top of it.
constexpr Stroke kStrokes[] = {
    {core::BaselineKind::kNone, 2.0f, 0.0f, 0.0f},
    {core::BaselineKind::kConstant, 5.5f, 0.0f, 0.0f},
    {core::BaselineKind::kRunning, 2.0f, 10.0f, 4.0f},
    {core::BaselineKind::kBatchMean, 2.5f, 3.0f, 3.0f},
    {core::BaselineKind::kRloo, 2.0f, 0.0f, 0.0f},
    {core::BaselineKind::kExpected, 3.0f, 8.0f, 5.0f},
    {core::BaselineKind::kOptimal, 1.5f, 0.0f, 0.0f},
    {core::BaselineKind::kGroupNorm, 2.5f, 2.0f, 4.0f},
};

}  // namespace

plot::LineStyle baseline_line(core::BaselineKind kind, bool current) {
    plot::LineStyle line{.color = baseline_color(kind)};
    for (const Stroke& s : kStrokes) {
        if (s.kind != kind) continue;
        line.width = s.width + (current ? 1.0f : 0.0f);
        line.dashed = s.dash > 0.0f;
        line.dash = s.dash;
        line.gap = s.gap;
    }
    return line;
}

}  // namespace rl::app
