#pragma once

// Two engines on the same experiment compared bit for bit: a replacement engine (a fallback)
// must give exactly what a pure CPU run gives.

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/experiment.hpp"
#include "engine/engine.hpp"
#include "support/sessions.hpp"

namespace rl_test {

// Noisy rewards and a running average baseline, so the restored state (sum and count, not only
// the current value) decides the next steps.
inline rl::core::Experiment busy_experiment() {
    rl::core::Settings s = rl_test::make_settings(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::bernoulli_reward(0.4, -1, 3),
         rl_test::fixed_reward(0.5), rl_test::gaussian_reward(-0.5, 0.7)},
        {0.1, -0.3, 0.4, 0.0});
    s.estimator.K = 5;
    s.estimator.baseline = rl::core::BaselineKind::kRunning;
    s.estimator.running_mode = rl::core::RunningMode::kAverage;
    s.estimator.lr = 0.3;
    s.runs = 9;
    s.seed = 77;
    REQUIRE(rl::core::validate(s).empty());
    return rl::core::make_experiment(s);
}

inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

inline void check_same_runs(rl::engine::Engine& a, rl::engine::Engine& b, int runs) {
    CHECK(a.steps_done() == b.steps_done());
    for (int r = 0; r < runs; ++r) {
        CHECK(same_bits(a.run_logits(r), b.run_logits(r)));
        CHECK(a.run_running_baseline(r) == b.run_running_baseline(r));
    }
}

inline void check_same_advance(const rl::engine::TrainingAdvance& a,
                               const rl::engine::TrainingAdvance& b) {
    REQUIRE(a.steps.size() == b.steps.size());
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
        CHECK(a.steps[i].step == b.steps[i].step);
        CHECK(a.steps[i].J.mean == b.steps[i].J.mean);
        CHECK(a.steps[i].J.p90 == b.steps[i].J.p90);
        CHECK(a.steps[i].opt_action_share == b.steps[i].opt_action_share);
    }
    CHECK(same_bits(a.run0.gradient, b.run0.gradient));
}

inline rl::engine::CloudRequest request_at(rl::engine::Engine& engine) {
    rl::engine::CloudRequest r;
    r.logits = engine.run_logits(0);
    r.step = static_cast<std::uint32_t>(engine.steps_done());
    r.running_value = engine.run_running_baseline(0);
    r.K = 6;
    r.M = 3000;
    return r;
}

inline void check_same_cloud(const rl::engine::CloudResult& a, const rl::engine::CloudResult& b) {
    REQUIRE(a.x.size() == b.x.size());
    CHECK(std::memcmp(a.x.data(), b.x.data(), a.x.size() * sizeof(float)) == 0);
    CHECK(same_bits(a.norm2, b.norm2));
    CHECK(same_bits(a.mean, b.mean));
    CHECK(a.trace_cov == b.trace_cov);
    CHECK(a.histogram.counts == b.histogram.counts);
}

}  // namespace rl_test
