#pragma once

#include <cstddef>

#include "engine/engine.hpp"
#include "live/runner.hpp"

// The thinned step history. Which steps a history holds is a function of its latest step alone
// (every multiple of history_stride(latest), plus the latest itself), so an older copy can be
// brought up to date from a newer one by thinning it and appending the tail, without replaying
// every step in between.
namespace rl::live {

// The smallest power of two that leaves room for every step on the stride and the latest one
// within `capacity` points.
int history_stride(int latest_step, int capacity = kHistoryCapacity);

// Starts over with room for core::history_point_capacity(tracked_actions) points.

void history_clear(History& h, std::size_t tracked_actions);

// Steps must arrive in order, one after the other, starting at 1 after a clear.
void history_append(History& h, const engine::StepSummary& s);

// `older` is an earlier state of `newer` (the same run, no clear in between).
void history_catch_up(History& older, const History& newer);

}  // namespace rl::live
