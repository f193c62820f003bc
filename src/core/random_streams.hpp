#pragma once

#include <cmath>
#include <cstdint>

#include "core/host_device.hpp"
#include "core/philox.hpp"

// Every random number in the app is a pure function of (seed, purpose, run, step, batch, sample),
// never of the thread or launch that draws it. One Philox block serves a pair of samples
// (2j, 2j+1): two 32-bit words each, so all four outputs are used.
namespace rl::core {

enum class Purpose : std::uint32_t {
    kCloudAction = 1,  // which action each cloud sample takes
    kCloudReward = 2,  // the reward noise of each cloud sample
    kTrainAction = 3,  // which action each training sample takes
    kTrainReward = 4,  // the reward noise of each training sample
    kArmMeans = 5,     // per-run arm means (the 10-armed testbed)
    // Episodes: one block per (sample, decision), pair_index = sample * horizon + t; word 0 the
    // action, word 1 the move, words 2 and 3 the reward noise.
    kEpisodeCloud = 6,
    kEpisodeTrain = 7,
    // A cloud drawn as counts (engine/count_cloud): pair j gives chunk lookups 2j and 2j + 1;
    // the reward stream holds each counted action's reward sum at pair index
    // action slot * kCountRewardPairs + i.
    kCloudCount = 8,
    kCloudCountReward = 9,
};

struct StreamKey {
    std::uint64_t seed;
    Purpose purpose;
    std::uint32_t run;  // < 2^24
    std::uint32_t step;
    std::uint32_t batch;
};

RL_HOST_DEVICE inline PhiloxCounter draw_pair(const StreamKey& key, std::uint32_t pair_index) {
    const PhiloxCounter counter{
        {pair_index, key.batch, key.step,
         (static_cast<std::uint32_t>(key.purpose) << 24) | (key.run & 0xFFFFFFu)}};
    const PhiloxKey k{
        {static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)}};
    return philox4x32_10(counter, k);
}

// Uniform in the open interval (0, 1): safe to take the log of.
RL_HOST_DEVICE inline double uniform_open(std::uint32_t bits) {
    return (static_cast<double>(bits) + 0.5) * (1.0 / 4294967296.0);
}

// Uniform in [0, 1) at a double's full resolution: the 32 bits of `high` and the top 21 of `low`.
RL_HOST_DEVICE inline double uniform53(std::uint32_t high, std::uint32_t low) {
    const std::uint64_t bits = (static_cast<std::uint64_t>(high) << 21) | (low >> 11);
    return static_cast<double>(bits) * (1.0 / 9007199254740992.0);
}

// Box-Muller on two words: returns the cosine branch in z0 and the sine branch in z1.
RL_HOST_DEVICE inline void standard_normal_pair(std::uint32_t a, std::uint32_t b, double& z0,
                                                double& z1) {
    constexpr double kTwoPi = 6.283185307179586476925286766559;
    const double radius = std::sqrt(-2.0 * std::log(uniform_open(a)));
    const double angle = kTwoPi * uniform_open(b);
    z0 = radius * std::cos(angle);
    z1 = radius * std::sin(angle);
}

// True with probability p exactly (to 2^-32): p is stored as a 33-bit threshold so p = 1 always
// succeeds and p = 0 never does.
RL_HOST_DEVICE inline bool bernoulli_draw(std::uint32_t bits, std::uint64_t threshold) {
    return static_cast<std::uint64_t>(bits) < threshold;
}

inline std::uint64_t bernoulli_threshold(double p) {
    if (!(p > 0.0)) return 0;
    if (p >= 1.0) return std::uint64_t{1} << 32;
    return static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
}

}  // namespace rl::core
