// The CPU engine's episode half (engine/engine.hpp): the runs are an EpisodeRuns on the engine's
// own pool, the cloud engine/episode_cloud.

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/episodes/episode_values.hpp"
#include "engine/cpu_engine.hpp"
#include "engine/episode_cloud.hpp"

namespace rl::engine {

EpisodeStart CpuEngine::configure_episodes(const core::Settings& s) {
    if (!core::is_episodic(s))
        throw std::invalid_argument(
            "configure_episodes: these settings are a bandit, not episodes");
    if (std::string reason = core::validate(s); !reason.empty())
        throw std::invalid_argument(reason);
    auto runs = std::make_unique<EpisodeRuns>(s, m_pool);
    // A baseline that cannot be had here (optimal on a problem too large to enumerate) is found
    // before any step, so the engine keeps what it held.
    core::EpisodeBaselineInputs inputs;
    const core::EpisodeValues values = core::episode_values(runs->model(), runs->initial_policy());
    if (std::string refusal =
            core::episode_baseline_inputs(runs->model(), runs->run(0), values, s.estimator, inputs);
        !refusal.empty())
        throw std::invalid_argument(refusal);
    // The bandit's state goes: update() after this configures afresh.
    m_logits.clear();
    m_running.clear();
    m_run_problems.clear();
    m_steps_done = 0;
    m_episode_cloud.reset();
    m_episodes = std::move(runs);
    return {m_episodes->summary(), m_episodes->best_actions()};
}

CloudResult CpuEngine::episode_cloud(const EpisodeCloudRequest& request) {
    if (!m_episodes) throw std::logic_error("episode_cloud: no episode problem is configured");
    // Run 0's baselines' memory: the cloud shows what its next step would draw.
    return rl::engine::episode_cloud(m_episodes->problem(), m_episodes->settings().estimator,
                                     m_episodes->settings().seed, request, &m_episodes->run(0),
                                     m_pool);
}

void CpuEngine::start_episode_cloud(const EpisodeCloudRequest& request) {
    if (!m_episodes)
        throw std::logic_error("start_episode_cloud: no episode problem is configured");
    m_episode_cloud.reset();
    m_episode_cloud = std::make_unique<EpisodeCloudDraw>(
        m_episodes->problem(), m_episodes->settings().estimator, m_episodes->settings().seed,
        request, &m_episodes->run(0));
}

std::optional<CloudResult> CpuEngine::continue_episode_cloud(int batches) {
    if (!m_episode_cloud)
        throw std::logic_error("continue_episode_cloud: no episode cloud has been started");
    if (!m_episode_cloud->advance(batches, m_pool)) return std::nullopt;
    // Taken out first: whatever finishing throws, the draw is over.
    const std::unique_ptr<EpisodeCloudDraw> draw = std::move(m_episode_cloud);
    return draw->finish(m_pool);
}

EpisodeAdvance CpuEngine::advance_episodes(int steps) {
    if (!m_episodes) throw std::logic_error("advance_episodes: no episode problem is configured");
    EpisodeAdvance result;
    for (int i = 0; i < steps && !result.diverged; ++i) {
        result.divergence = m_episodes->advance();
        result.diverged = !result.divergence.empty();
        result.steps.push_back(m_episodes->summary());
    }
    if (!result.steps.empty() && !result.diverged) {
        result.run0_step = m_episodes->steps_done();
        result.run0 = m_episodes->run0_record();
    }
    return result;
}

}  // namespace rl::engine
