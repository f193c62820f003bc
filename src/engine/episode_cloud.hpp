#pragma once

#include <cstdint>

#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/engine.hpp"
#include "engine/thread_pool.hpp"

// The gradient cloud of an episode problem: M estimates of K episodes each at one policy, with
// their exact side where there is one, projected on two axes as the bandit's cloud is.
namespace rl::engine {

// `memory`: the baselines' memory (running means, critic) the estimates use; null: a fresh
// run's. Throws std::invalid_argument when the request's logits do not fit the problem or the
// baseline cannot be had at this policy.
CloudResult episode_cloud(const core::EpisodeProblem& problem, const core::EstimatorSettings& est,
                          std::uint64_t seed, const EpisodeCloudRequest& request,
                          const core::EpisodeRunState* memory, ThreadPool& pool);

}  // namespace rl::engine
