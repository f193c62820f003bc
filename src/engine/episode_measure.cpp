#include "engine/episode_measure.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/exact.hpp"

namespace rl::engine {

namespace {

constexpr std::size_t kChunk = 64;  // batches per sampling task

// Batches per measuring task: at least kChunk, and at most 64 tasks, each holding a gradient-
// sized sum.
std::size_t measurement_chunk(std::size_t batches) {
    return std::max(kChunk, (batches + 63) / 64);
}

}  // namespace

EpisodeBatches sample_episode_batches(const core::EpisodeModel& model,
                                      const core::EpisodePolicy& policy, int K, int count,
                                      std::uint64_t seed, ThreadPool& pool, std::uint32_t step,
                                      std::uint32_t first) {
    EpisodeBatches batches(static_cast<std::size_t>(count),
                           std::vector<core::SampledEpisode>(static_cast<std::size_t>(K)));
    pool.run((batches.size() + kChunk - 1) / kChunk, [&](std::size_t c, int) {
        std::vector<core::EpisodeOutcome> scratch;
        for (std::size_t m = c * kChunk; m < std::min((c + 1) * kChunk, batches.size()); ++m) {
            const core::StreamKey key{seed, core::Purpose::kEpisodeCloud, 0, step,
                                      first + static_cast<std::uint32_t>(m)};
            for (std::uint32_t k = 0; k < batches[m].size(); ++k)
                core::sample_episode(model, policy, key, k, scratch, batches[m][k]);
        }
    });
    return batches;
}

EpisodeMeasurer::EpisodeMeasurer(const core::EpisodeObjective& objective,
                                 const core::EpisodePolicy& policy,
                                 const core::EpisodeValues& values,
                                 const core::EstimatorSettings& settings, int M,
                                 MeasureOptions options)
    : m_objective(objective),
      m_policy(policy),
      m_estimator(core::episode_estimator(settings)),
      m_options(std::move(options)),
      m_total(static_cast<std::size_t>(std::max(M, 0))),
      m_chunk(measurement_chunk(m_total)) {
    const core::EpisodeModel& model = objective.sampled();
    if (m_options.memory) {
        m_run = *m_options.memory;
        m_run.policy = policy;
    } else {
        m_run = core::start_run(model, policy, settings);
    }
    m_options.memory = nullptr;
    m_error = core::episode_baseline_inputs(model, m_run, values, settings, m_inputs);
    // |g - G|^2 about the objective's exact gradient G keeps the trace free of cancellation when
    // the mean is large beside the spread.
    m_gradient = values.gradient;
    for (std::size_t i = 0; i < objective.deterministic.size(); ++i)
        m_gradient[i] += objective.deterministic[i];
    for (const double x : m_gradient)
        m_gradient_norm += x * x;
    m_gradient_norm = std::sqrt(m_gradient_norm);
    m_parts.resize((m_total + m_chunk - 1) / m_chunk);
}

void EpisodeMeasurer::add(const EpisodeBatches& batches, ThreadPool& pool) {
    if (!m_error.empty()) throw std::logic_error("EpisodeMeasurer::add: " + m_error);
    const std::size_t first = m_measured;
    if (first % m_chunk != 0 || batches.size() > m_total - first ||
        (first + batches.size() < m_total && batches.size() % m_chunk != 0))
        throw std::logic_error("EpisodeMeasurer::add: a slice must be whole chunks, in order");
    const core::EpisodeModel& model = m_objective.sampled();
    const std::size_t n = m_policy.logits.size();
    const std::size_t first_part = first / m_chunk;
    const std::size_t parts = (batches.size() + m_chunk - 1) / m_chunk;
    pool.run(parts, [&](std::size_t c, int) {
        Part& part = m_parts[first_part + c];
        part.sum.assign(n, 0.0);
        std::vector<double> g(n);
        for (std::size_t i = c * m_chunk; i < std::min((c + 1) * m_chunk, batches.size()); ++i) {
            core::episode_gradient(model, m_policy, m_estimator, m_inputs, batches[i], g);
            core::finish_episode_estimate(m_objective, g);
            if (m_options.sink) m_options.sink(first + i, g);
            double along = 0.0, norm = 0.0;
            for (std::size_t j = 0; j < n; ++j) {
                part.sum[j] += g[j];
                part.spread += (g[j] - m_gradient[j]) * (g[j] - m_gradient[j]);
                along += g[j] * m_gradient[j];
                norm += g[j] * g[j];
            }
            part.uphill += along > 0.0 ? 1.0 : 0.0;
            if (norm > 0.0 && m_gradient_norm > 0.0)
                part.cosine += along / (std::sqrt(norm) * m_gradient_norm);
        }
    });
    m_measured += batches.size();
}

EpisodeMeasurement EpisodeMeasurer::finish() const {
    EpisodeMeasurement out;
    out.error = m_error;
    const int M = static_cast<int>(m_total);
    out.batches = M;
    if (!m_error.empty() || M == 0) return out;
    if (!complete()) throw std::logic_error("EpisodeMeasurer::finish: batches are still to come");
    const std::size_t n = m_policy.logits.size();
    out.mean.assign(n, 0.0);
    double spread = 0.0, uphill = 0.0, cosine = 0.0;
    for (const Part& part : m_parts) {
        for (std::size_t i = 0; i < n; ++i)
            out.mean[i] += part.sum[i];
        spread += part.spread;
        uphill += part.uphill;
        cosine += part.cosine;
    }
    double off = 0.0;  // |mean - G|^2
    for (std::size_t i = 0; i < n; ++i) {
        out.mean[i] /= M;
        off += (out.mean[i] - m_gradient[i]) * (out.mean[i] - m_gradient[i]);
    }
    out.trace_cov = M > 1 ? std::max(0.0, (spread - M * off) / (M - 1.0)) : 0.0;
    out.uphill_share = uphill / M;
    out.mean_cosine = cosine / M;
    double mean_norm = 0.0;
    for (const double x : out.mean)
        mean_norm += x * x;
    mean_norm = std::sqrt(mean_norm);
    out.snr = core::signal_to_noise(mean_norm, out.trace_cov);
    out.snr_reason = core::snr_undefined_reason(mean_norm, out.trace_cov);
    return out;
}

EpisodeMeasurement measure_episode_estimator(const core::EpisodeObjective& objective,
                                             const core::EpisodePolicy& policy,
                                             const core::EpisodeValues& values,
                                             const core::EstimatorSettings& settings,
                                             const EpisodeBatches& batches, ThreadPool& pool,
                                             const MeasureOptions& options) {
    EpisodeMeasurer measurer(objective, policy, values, settings, static_cast<int>(batches.size()),
                             options);
    if (measurer.error().empty()) measurer.add(batches, pool);
    return measurer.finish();
}

}  // namespace rl::engine
