#include "app/views/baseline_style.hpp"

namespace rl::app {

std::string baseline_name(BaselineKind kind) {
    switch (kind) {
        case BaselineKind::kNone:
            return "none";
        case BaselineKind::kConstant:
            return "constant b";
        case BaselineKind::kRunning:
            return "running mean";
        case BaselineKind::kBatchMean:
            return "batch mean";
        case BaselineKind::kRloo:
            return "RLOO";
        case BaselineKind::kExpected:
            return "E[R]";
        case BaselineKind::kOptimal:
            return "b*";
        case BaselineKind::kGroupNorm:
            return "group norm";
    }
    return "?";
}

// Baselines keep their palette slot whether or not they have a curve, so colours are stable.
plot::Rgba baseline_color(BaselineKind kind) {
    return plot::PaletteColor(static_cast<int>(kind));
}

}  // namespace rl::app
