#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/episode_measure.hpp"
#include "engine/episode_results.hpp"
#include "engine/thread_pool.hpp"

// Episodes on the CPU: R training runs of an episode problem, stepped together, each run's
// samples a function of (seed, run, step, sample, position) so the thread count changes nothing;
// and (engine/episode_measure) Monte Carlo measurements of an estimator at one policy. The CPU
// engine runs episodes with these (engine/cpu_engine_episodes.cpp); the headless tables measure
// with them directly.
namespace rl::engine {

class EpisodeRuns {
  public:
    // Throws std::invalid_argument for settings that make no episode problem. `pool` outlives this.
    EpisodeRuns(const core::Settings& settings, ThreadPool& pool);

    const core::Settings& settings() const { return m_settings; }
    const core::EpisodeProblem& problem() const { return m_problem; }
    const core::EpisodeModel& model() const { return *m_problem.model; }
    const core::EpisodePolicy& initial_policy() const { return m_problem.initial; }
    std::span<const double> reference_log_probs() const { return m_problem.reference_log_probs; }
    const core::EpisodeRunState& run(int r) const { return m_runs[static_cast<std::size_t>(r)]; }
    int steps_done() const { return m_steps; }
    // The actions that do best at each decision, judged at the initial policy: those with the
    // highest action value averaged over where decision t is made.
    const std::vector<std::vector<std::uint32_t>>& best_actions() const { return m_best; }

    // One step of every run; "" or the first run's error (a divergence, or a baseline that
    // cannot be had), naming the run and step.
    std::string advance();
    EpisodeStepSummary summary() const;
    // What run 0's latest step did (empty before any).
    const core::EpisodeStepRecord& run0_record() const { return m_run0_record; }

  private:
    core::Settings m_settings;
    core::EpisodeProblem m_problem;
    std::vector<core::EpisodeRunState> m_runs;
    std::vector<std::vector<std::uint32_t>> m_best;
    int m_steps = 0;
    core::EpisodeStepRecord m_run0_record;
    ThreadPool* m_pool;  // the summary's per-run work is split over it too
};

}  // namespace rl::engine
