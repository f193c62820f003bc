#pragma once

#include <cstdint>

#include "core/alias_sample.hpp"
#include "core/host_device.hpp"
#include "core/random_streams.hpp"
#include "core/reward_model.hpp"

// One pair of samples (2j, 2j+1) of a batch: the action stream's four words pick both actions,
// the reward stream's four words give both rewards (Box-Muller on two, Bernoulli on the others).
// Host and device share this one definition, so the engines draw the same samples.
namespace rl::core {

RL_HOST_DEVICE inline void draw_sample_pair(const AliasEntry* table, std::uint32_t n,
                                            const RewardSampler* samplers, bool noisy,
                                            const StreamKey& action_key,
                                            const StreamKey& reward_key, std::uint32_t pair,
                                            bool second, std::uint32_t* actions, double* rewards) {
    const PhiloxCounter bits = draw_pair(action_key, pair);
    actions[0] = alias_sample(table, n, bits.v[0], bits.v[1]);
    if (second) actions[1] = alias_sample(table, n, bits.v[2], bits.v[3]);
    if (!noisy) {
        rewards[0] = samplers[actions[0]].base;
        if (second) rewards[1] = samplers[actions[1]].base;
        return;
    }
    const PhiloxCounter rbits = draw_pair(reward_key, pair);
    const RewardSampler& s0 = samplers[actions[0]];
    const RewardSampler* s1 = second ? &samplers[actions[1]] : nullptr;
    double z0 = 0.0, z1 = 0.0;
    if (s0.kind == RewardKind::kGaussian || (s1 && s1->kind == RewardKind::kGaussian))
        standard_normal_pair(rbits.v[0], rbits.v[1], z0, z1);
    rewards[0] = draw_reward(s0, z0, rbits.v[2]);
    if (second) rewards[1] = draw_reward(*s1, z1, rbits.v[3]);
}

}  // namespace rl::core
