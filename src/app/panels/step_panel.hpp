#pragma once

#include <imgui.h>

#include "live/runner.hpp"

namespace rl::app {

// The arithmetic of run 0's latest update, in the style of a worked example: what was sampled, what
// each sample was paid, the baseline and advantages, the estimate against the true gradient, and
// the new logits and probabilities. In single-step mode this panel is the lesson.
void draw_step_panel(const live::Results& r, ImFont* numbers_font);

}  // namespace rl::app
