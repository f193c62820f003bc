#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/host_device.hpp"
#include "core/random_streams.hpp"

namespace rl::core {

enum class RewardKind : std::uint32_t { kFixed = 0, kGaussian = 1, kBernoulli = 2 };

// The reward an action pays. Only the fields of the chosen kind are used.
struct RewardModel {
    RewardKind kind = RewardKind::kFixed;
    double value = 0.0;  // fixed
    double mean = 0.0;   // gaussian
    double sd = 1.0;     // gaussian
    double p = 0.5;      // bernoulli: pays hi with probability p, lo otherwise
    double lo = 0.0;
    double hi = 1.0;

    double expected() const;
    double variance() const;
};

// A reward model flattened for the sampling loops (host and device): the per-run arm offset is
// already added, so drawing needs no branches on the session.
struct RewardSampler {
    RewardKind kind;
    double base;                // fixed value, gaussian mean, or bernoulli lo
    double spread;              // gaussian sd, or bernoulli hi - lo
    std::uint64_t p_threshold;  // bernoulli success threshold
};

RewardSampler make_reward_sampler(const RewardModel& model, double offset);

// normal_z and bernoulli_bits come from the reward stream of the sample being scored.
RL_HOST_DEVICE inline double draw_reward(const RewardSampler& s, double normal_z,
                                         std::uint32_t bernoulli_bits) {
    switch (s.kind) {
        case RewardKind::kGaussian:
            return s.base + s.spread * normal_z;
        case RewardKind::kBernoulli:
            return bernoulli_draw(bernoulli_bits, s.p_threshold) ? s.base + s.spread : s.base;
        case RewardKind::kFixed:
        default:
            return s.base;
    }
}

}  // namespace rl::core
