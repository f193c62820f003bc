#pragma once

#include <cstdint>
#include <optional>

#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_values.hpp"
#include "core/estimator.hpp"

// One measured SNR of an episode estimator, as the SNR plots draw it.
namespace rl::live {

struct MeasuredSnr {
    double snr = 0.0;
    int batches = 0;
};

// M batches of est.K episodes at `policy`, from the cloud streams of `step`, measured with `est`
// (a fresh run's baseline memory), on one thread. The mean of M estimates carries noise of its
// own, E|mean|^2 = |E g|^2 + tr Cov / M (docs/MATH.md 13): it is taken out of the signal, and
// where what is left is below it (an SNR under 1/sqrt(M)) M batches cannot resolve the signal and
// there is no value; none either where the estimator cannot be measured.
std::optional<MeasuredSnr> measure_episode_snr(const core::EpisodeObjective& objective,
                                               const core::EpisodePolicy& policy,
                                               const core::EpisodeValues& values,
                                               const core::EstimatorSettings& est, int M,
                                               std::uint64_t seed, std::uint32_t step = 0);

// Batches for a point that draws about `decisions` decisions: at least 64, at most M.
int batches_for_decisions(long long decisions, int M, int K, int T);

}  // namespace rl::live
