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

}  // namespace rl::app
