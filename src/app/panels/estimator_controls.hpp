#pragma once

#include "app/panels/field_widgets.hpp"
#include "core/settings.hpp"

// The estimator's widgets (K, baseline and its settings, learning rate, KL, entropy, clipping),
// shared by the controls panel's own section and compare mode's section for configuration B.
namespace rl::app {

// Draws them over `draft`'s estimator, each only where it matters (the decay only for a decayed
// running mean, say).
FieldEdit draw_estimator_controls(FieldEntry& entry, core::Settings& draft);

}  // namespace rl::app
