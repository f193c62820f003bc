// The thinned history: which steps it keeps depends only on the latest step, so a copy brought
// up to date at any moment equals a history that saw every step.

#include <doctest/doctest.h>

#include <vector>

#include "engine/engine.hpp"
#include "live/history.hpp"
#include "live/runner.hpp"

namespace {

using rl::live::History;
using rl::live::kHistoryCapacity;

rl::engine::StepSummary summary(int step) {
    rl::engine::StepSummary s;
    s.step = step;
    s.J = {0.0, step * 0.5, step * 1.0, step * 2.0};
    s.best_prob_share = step * 0.25;
    s.action_probs = {{0.0, step * 3.0, step * 4.0, step * 5.0}};
    return s;
}

void check_equal(const History& a, const History& b) {
    CHECK(a.stride == b.stride);
    CHECK(a.step == b.step);
    CHECK(a.j_p10 == b.j_p10);
    CHECK(a.j_p50 == b.j_p50);
    CHECK(a.j_p90 == b.j_p90);
    CHECK(a.best_share == b.best_share);
    CHECK(a.prob_p10 == b.prob_p10);
    CHECK(a.prob_p50 == b.prob_p50);
    CHECK(a.prob_p90 == b.prob_p90);
}

}  // namespace

TEST_CASE("Live session: history stride doubles only when the capacity is reached") {
    CHECK(rl::live::history_stride(1) == 1);
    CHECK(rl::live::history_stride(kHistoryCapacity - 1) == 1);
    CHECK(rl::live::history_stride(kHistoryCapacity) == 2);
    CHECK(rl::live::history_stride(2 * kHistoryCapacity - 1) == 2);
    CHECK(rl::live::history_stride(2 * kHistoryCapacity) == 4);
    CHECK(rl::live::history_stride(1000000) == 256);
}

TEST_CASE("Live session: a history caught up at any moments equals one that saw every step") {
    History full, lagging;
    rl::live::history_clear(full, 1);
    rl::live::history_clear(lagging, 1);
    // Uneven catch-up intervals cross every kind of moment: on and off the stride, at a doubling.
    int next_catch_up = 1;
    for (int step = 1; step <= 3 * kHistoryCapacity + 5; ++step) {
        rl::live::history_append(full, summary(step));
        if (step == next_catch_up) {
            rl::live::history_catch_up(lagging, full);
            next_catch_up += 1 + (step * 7919) % 1500;
        }
        REQUIRE(full.step.size() <= static_cast<std::size_t>(kHistoryCapacity));
        REQUIRE(full.step.back() == step);
    }
    rl::live::history_catch_up(lagging, full);
    check_equal(lagging, full);
    CHECK(full.stride == 4);
    for (std::size_t i = 0; i + 1 < full.step.size(); ++i)
        REQUIRE(static_cast<long long>(full.step[i]) % full.stride == 0);
    // Each column holds its own step's values.
    for (std::size_t i = 0; i < full.step.size(); ++i) {
        REQUIRE(full.j_p50[i] == full.step[i]);
        REQUIRE(full.prob_p90[0][i] == 5.0 * full.step[i]);
    }
}
