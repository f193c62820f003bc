#include "live/episode_snr_point.hpp"

#include <algorithm>
#include <cmath>

#include "engine/episode_runs.hpp"
#include "engine/thread_pool.hpp"

namespace rl::live {

namespace {

constexpr int kMinBatches = 64;

}  // namespace

int batches_for_decisions(long long decisions, int M, int K, int T) {
    const long long per_batch = std::max(1LL, static_cast<long long>(K) * T);
    return static_cast<int>(
        std::min<long long>(M, std::max<long long>(kMinBatches, decisions / per_batch)));
}

std::optional<MeasuredSnr> measure_episode_snr(const core::EpisodeObjective& objective,
                                               const core::EpisodePolicy& policy,
                                               const core::EpisodeValues& values,
                                               const core::EstimatorSettings& est, int M,
                                               std::uint64_t seed, std::uint32_t step) {
    // One thread: the live worker's own, between its other work; a point is small.
    engine::ThreadPool pool(1);
    const engine::EpisodeBatches batches =
        engine::sample_episode_batches(objective.sampled(), policy, est.K, M, seed, pool, step);
    const engine::EpisodeMeasurement measured =
        engine::measure_episode_estimator(objective, policy, values, est, batches, pool);
    if (!measured.error.empty() || !(measured.trace_cov > 0.0)) return std::nullopt;
    double mean2 = 0.0;
    for (const double v : measured.mean)
        mean2 += v * v;
    const double noise2 = measured.trace_cov / M;
    const double signal2 = mean2 - noise2;
    if (!(signal2 >= noise2)) return std::nullopt;
    return MeasuredSnr{std::sqrt(signal2 / measured.trace_cov), M};
}

}  // namespace rl::live
