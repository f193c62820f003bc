#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/engine.hpp"
#include "engine/episode_measure.hpp"
#include "engine/thread_pool.hpp"

// The gradient cloud of an episode problem: M estimates of K episodes each at one policy, with
// their exact side where there is one, projected on two axes as the bandit's cloud is.
namespace rl::engine {

// A cloud drawn a slice of batches at a time, so that a large one spreads over several frames;
// however it is sliced, the cloud is the one episode_cloud() draws, bit for bit. `problem`
// outlives it. Throws std::invalid_argument as episode_cloud() does.
class EpisodeCloudDraw {
  public:
    EpisodeCloudDraw(const core::EpisodeProblem& problem, const core::EstimatorSettings& est,
                     std::uint64_t seed, EpisodeCloudRequest request,
                     const core::EpisodeRunState* memory);
    ~EpisodeCloudDraw();
    EpisodeCloudDraw(const EpisodeCloudDraw&) = delete;
    EpisodeCloudDraw& operator=(const EpisodeCloudDraw&) = delete;

    // Draws and measures up to `batches` more of the M (rounded up to the measurer's whole
    // chunks); true once every batch is in.
    bool advance(int batches, ThreadPool& pool);
    bool done() const;
    const EpisodeCloudRequest& request() const { return m_request; }
    // The cloud: its axes, projections and statistics. Only once done().
    CloudResult finish(ThreadPool& pool) const;

  private:
    EpisodeCloudRequest m_request;
    core::EstimatorSettings m_settings;
    std::uint64_t m_seed;
    core::EpisodePolicy m_policy;
    core::EpisodeObjective m_objective;
    core::EpisodeValues m_values;
    std::vector<double> m_rows;  // one estimate of n per batch
    std::unique_ptr<EpisodeMeasurer> m_measurer;
};

// `memory`: the baselines' memory (running means, critic) the estimates use; null: a fresh
// run's. Throws std::invalid_argument when the request's logits do not fit the problem or the
// baseline cannot be had at this policy.
CloudResult episode_cloud(const core::EpisodeProblem& problem, const core::EstimatorSettings& est,
                          std::uint64_t seed, const EpisodeCloudRequest& request,
                          const core::EpisodeRunState* memory, ThreadPool& pool);

}  // namespace rl::engine
