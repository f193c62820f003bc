#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "engine/thread_pool.hpp"

// Monte Carlo measurements of an episode estimator at one policy: batches drawn from Philox
// streams keyed by their index, turned into estimates and summed in fixed chunks combined in
// order, so neither the thread count nor slicing the batches (a cloud drawn over several frames)
// changes a bit of the result.
namespace rl::engine {

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

// `count` batches of K episodes at `policy`, the first being batch `first` of `step`'s cloud
// streams of run 0; every estimator measured on the same batches is compared on the same samples.
EpisodeBatches sample_episode_batches(const core::EpisodeModel& model,
                                      const core::EpisodePolicy& policy, int K, int count,
                                      std::uint64_t seed, ThreadPool& pool, std::uint32_t step = 0,
                                      std::uint32_t first = 0);

struct MeasureOptions {
    // The baselines' memory (running means, learned critic) a run has now; null: a fresh run's.
    const core::EpisodeRunState* memory = nullptr;
    // Given batch m's finished estimate as it is measured (from the pool's threads, each m once).
    std::function<void(std::size_t m, std::span<const double> g)> sink;
};

// One measurement of M batches, taken a slice at a time: add() the batches in order, each slice
// a whole number of chunk_batches() but the last, then finish(). objective, policy and values
// (those of objective.sampled()) outlive it; options.memory is read only here.
class EpisodeMeasurer {
  public:
    EpisodeMeasurer(const core::EpisodeObjective& objective, const core::EpisodePolicy& policy,
                    const core::EpisodeValues& values, const core::EstimatorSettings& settings,
                    int M, MeasureOptions options = {});
    EpisodeMeasurer(const EpisodeMeasurer&) = delete;
    EpisodeMeasurer& operator=(const EpisodeMeasurer&) = delete;

    // Why the baseline has no numbers at this policy; empty when it has.
    const std::string& error() const { return m_error; }
    std::size_t chunk_batches() const { return m_chunk; }
    std::size_t measured() const { return m_measured; }
    bool complete() const { return m_measured == m_total; }

    // Each batch (drawn from objective.sampled()) turned into an estimate with the settings'
    // credit and baseline and the objective's added part and clip.
    void add(const EpisodeBatches& batches, ThreadPool& pool);
    EpisodeMeasurement finish() const;

  private:
    struct Part {
        std::vector<double> sum;
        double spread = 0.0, uphill = 0.0, cosine = 0.0;
    };
    const core::EpisodeObjective& m_objective;
    const core::EpisodePolicy& m_policy;
    core::EpisodeEstimator m_estimator;
    core::EpisodeRunState m_run;  // the baselines' memory: m_inputs looks into it
    core::EpisodeBaselineInputs m_inputs;
    MeasureOptions m_options;
    std::string m_error;
    std::vector<double> m_gradient;  // the objective's: the sampled problem's plus the sample-free
    double m_gradient_norm = 0.0;
    std::size_t m_total = 0, m_chunk = 0, m_measured = 0;
    std::vector<Part> m_parts;
};

// All M batches measured at once.
EpisodeMeasurement measure_episode_estimator(const core::EpisodeObjective& objective,
                                             const core::EpisodePolicy& policy,
                                             const core::EpisodeValues& values,
                                             const core::EstimatorSettings& settings,
                                             const EpisodeBatches& batches, ThreadPool& pool,
                                             const MeasureOptions& options = {});

}  // namespace rl::engine
