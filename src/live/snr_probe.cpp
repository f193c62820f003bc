#include "live/snr_probe.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/exact.hpp"

namespace rl::live {

namespace {
constexpr long long kPointSampleBudget = 1LL << 20;
constexpr int kMinPointBatches = 64;
}  // namespace

int snr_point_batches(int M, int K) {
    const long long by_budget =
        std::max<long long>(kMinPointBatches, kPointSampleBudget / std::max(K, 1));
    return static_cast<int>(std::min<long long>(M, by_budget));
}

SnrProbe::SnrProbe(std::unique_ptr<engine::Engine> engine) : m_engine(std::move(engine)) {
    for (int k = 1; k <= kSnrMaxK; k *= 2)
        m_ks.push_back(k);
}

void SnrProbe::invalidate() {
    for (SnrPoint& p : m_points)
        p.current = false;
    m_next = 0;
    m_sums = Sums{};
    ++m_version;
}

SnrPoint& SnrProbe::point_for(int K) {
    const auto at = std::lower_bound(m_points.begin(), m_points.end(), K,
                                     [](const SnrPoint& p, int k) { return p.K < k; });
    if (at != m_points.end() && at->K == K) return *at;
    return *m_points.insert(at, SnrPoint{K, 0.0, 0, false, {}});
}

void SnrProbe::measure_next(const core::Experiment& experiment, const SnrProbeRequest& request) {
    if (!pending()) return;
    const int K = m_ks[m_next];
    ++m_version;
    // Leave-one-out has no estimate with one sample; a point left from another baseline goes.
    if (experiment.estimator.baseline == core::BaselineKind::kRloo && K < 2) {
        std::erase_if(m_points, [K](const SnrPoint& p) { return p.K == K; });
        ++m_next;
        return;
    }
    const int target = snr_point_batches(experiment.M, K);
    const int left = target - m_sums.batches;
    int slice = static_cast<int>(
        std::min<long long>(left, std::max<long long>(2, kProbeSamplesPerCall / K)));
    // A slice of one batch has no spread to measure: the last one takes it along.
    if (left - slice == 1) ++slice;

    core::Experiment e = experiment;
    e.estimator.K = K;
    // The cloud reads run 0's problem only, and run 0's arm means do not depend on the run count.
    e.runs = 1;
    m_engine->configure(e);
    engine::CloudRequest cloud;
    cloud.logits = request.logits;
    cloud.run = 0;
    // Each slice keys its own streams, so the slices of one point are independent.
    cloud.step = request.step + static_cast<std::uint32_t>(m_sums.slices);
    cloud.K = K;
    cloud.M = slice;
    cloud.running_value = request.running_value;
    cloud.histogram_bins = 1;  // unused: only the moments are kept
    const engine::CloudResult result = m_engine->gradient_cloud(cloud);

    m_sums.mean_sum.resize(result.mean.size(), 0.0);
    for (std::size_t a = 0; a < result.mean.size(); ++a)
        m_sums.mean_sum[a] += slice * result.mean[a];
    m_sums.norm2_sum = std::accumulate(result.norm2.begin(), result.norm2.end(), m_sums.norm2_sum);
    m_sums.batches += slice;
    ++m_sums.slices;

    // The slices pooled: the unbiased sample trace over every batch drawn for this K.
    const double n = m_sums.batches;
    double mean_norm2 = 0.0;
    for (double s : m_sums.mean_sum)
        mean_norm2 += (s / n) * (s / n);
    const double trace = std::max(0.0, (m_sums.norm2_sum - n * mean_norm2) / (n - 1.0));
    SnrPoint& point = point_for(K);
    std::string reason = core::snr_undefined_reason(std::sqrt(mean_norm2), trace);
    const double snr = reason.empty() ? core::signal_to_noise(std::sqrt(mean_norm2), trace) : 0.0;
    point = SnrPoint{K, snr, m_sums.batches, true, std::move(reason)};
    if (m_sums.batches >= target) {
        ++m_next;
        m_sums = Sums{};
    }
}

}  // namespace rl::live
