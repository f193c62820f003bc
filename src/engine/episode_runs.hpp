#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/episode_results.hpp"
#include "engine/thread_pool.hpp"

// Episodes on the CPU: R training runs of an episode problem, stepped together, each run's
// samples a function of (seed, run, step, sample, position) so the thread count changes nothing;
// and Monte Carlo measurements of an estimator at one policy. The CPU engine runs episodes with
// these (engine/cpu_engine_episodes.cpp); the headless tables measure with them directly.
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

struct EpisodeMeasurement {
    std::string error;  // the baseline has no numbers here (optimal on a large problem)
    int batches = 0;
    std::vector<double> mean;  // of the M estimates
    double trace_cov = 0.0;    // unbiased sample trace
    double snr = 0.0;
    std::string snr_reason;
    double uphill_share = 0.0;  // estimates with <g, grad J> > 0
    double mean_cosine = 0.0;   // to grad J
};

using EpisodeBatches = std::vector<std::vector<core::SampledEpisode>>;

// M batches of K episodes at `policy`, from `step`'s cloud streams of run 0; every estimator
// measured on the same batches is compared on the same samples.
EpisodeBatches sample_episode_batches(const core::EpisodeModel& model,
                                      const core::EpisodePolicy& policy, int K, int M,
                                      std::uint64_t seed, ThreadPool& pool, std::uint32_t step = 0);

struct MeasureOptions {
    // The baselines' memory (running means, learned critic) a run has now; null: a fresh run's.
    const core::EpisodeRunState* memory = nullptr;
    // Given batch m's finished estimate as it is measured (from the pool's threads, each m once).
    std::function<void(std::size_t m, std::span<const double> g)> sink;
};

// Each batch (drawn from objective.sampled()) turned into an estimate with `settings`' credit and
// baseline and the objective's added part and clip, and their statistics; `values` are those of
// objective.sampled(). The batches are split over the pool in fixed chunks, so the thread count
// changes nothing.
EpisodeMeasurement measure_episode_estimator(const core::EpisodeObjective& objective,
                                             const core::EpisodePolicy& policy,
                                             const core::EpisodeValues& values,
                                             const core::EstimatorSettings& settings,
                                             const EpisodeBatches& batches, ThreadPool& pool,
                                             const MeasureOptions& options = {});

}  // namespace rl::engine
