#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/engine.hpp"
#include "engine/thread_pool.hpp"

// Episodes on the CPU: R training runs of an episode problem, stepped together, each run's
// samples a function of (seed, run, step, sample, position) so the thread count changes nothing;
// and Monte Carlo measurements of an estimator at one policy. The window's Engine interface
// comes with the window's episodes (next issue); the headless run uses this directly.
namespace rl::engine {

struct EpisodeStepSummary {
    int step = 0;
    Quantiles J;
    // Share of runs whose most likely choice at every decision is the best one.
    double greedy_best_share = 0.0;
    // Per decision t, the median over runs of P(a best action | decision t is made).
    std::vector<double> best_prob_p50;
    // With at most kWholePolicyBlocks logit sets: the median of each set's probabilities, set
    // by set (blocks x actions); else empty.
    std::vector<double> block_probs_p50;
};

inline constexpr std::size_t kWholePolicyBlocks = 4;

class EpisodeRuns {
  public:
    EpisodeRuns(const core::Settings& settings, int threads);

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

    ThreadPool& pool() { return m_pool; }

  private:
    core::Settings m_settings;
    core::EpisodeProblem m_problem;
    std::vector<core::EpisodeRunState> m_runs;
    std::vector<std::vector<std::uint32_t>> m_best;
    int m_steps = 0;
    mutable ThreadPool m_pool;  // the summary's per-run work is split over it too
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

// M batches of K episodes at `policy`, from step 0's cloud streams of run 0; every estimator
// measured on the same batches is compared on the same samples.
EpisodeBatches sample_episode_batches(const core::EpisodeModel& model,
                                      const core::EpisodePolicy& policy, int K, int M,
                                      std::uint64_t seed, ThreadPool& pool);

// Each batch (drawn from objective.sampled()) turned into an estimate with `settings`' credit and
// baseline and the objective's added part and clip, and their statistics; `values` are those of
// objective.sampled(). The batches are split over the pool in fixed chunks, so the thread count
// changes nothing.
EpisodeMeasurement measure_episode_estimator(const core::EpisodeObjective& objective,
                                             const core::EpisodePolicy& policy,
                                             const core::EpisodeValues& values,
                                             const core::EstimatorSettings& settings,
                                             const EpisodeBatches& batches, ThreadPool& pool);

}  // namespace rl::engine
