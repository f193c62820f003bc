#pragma once

#include "app/panels/field_widgets.hpp"
#include "core/settings.hpp"

// The problem's widgets: its form (a bandit, token sequences, an episodic table) and, for
// episodes, the fields that shape them. A table's states and moves are read here, edited in the
// session file.
namespace rl::app {

FieldEdit draw_problem_controls(FieldEntry& entry, core::Settings& draft);

}  // namespace rl::app
