#pragma once

#include "live/runner.hpp"

// Compare mode's two live sessions must show the same step at all times.
namespace rl::control {

// Schedules one UI frame's tick of `a` and, when given, of `b`. With `wait` (scripted runs) it
// waits for both. Without, it ticks the two only when both are free: Runner::frame() skips a
// busy session's tick, and skipping it for one alone would put the other a step ahead for good.
void tick_pair(live::Runner& a, live::Runner* b, bool wait);

}  // namespace rl::control
