#include "app/views/baseline_style.hpp"

namespace rl::app {

std::string baseline_name(core::BaselineKind kind) {
    switch (kind) {
        case core::BaselineKind::kNone:
            return "none";
        case core::BaselineKind::kConstant:
            return "constant b";
        case core::BaselineKind::kRunning:
            return "running mean";
        case core::BaselineKind::kBatchMean:
            return "batch mean";
        case core::BaselineKind::kRloo:
            return "RLOO";
        case core::BaselineKind::kExpected:
            return "E[R]";
        case core::BaselineKind::kOptimal:
            return "b*";
        case core::BaselineKind::kGroupNorm:
            return "group norm";
    }
    return "?";
}

// Baselines keep their palette slot whether or not they have a curve, so colours are stable.
plot::Rgba baseline_color(core::BaselineKind kind) {
    return plot::PaletteColor(static_cast<int>(kind));
}

}  // namespace rl::app
