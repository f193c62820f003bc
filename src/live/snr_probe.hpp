#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/experiment.hpp"
#include "engine/engine.hpp"
#include "live/runner.hpp"

// Monte Carlo SNR points for the current baseline at K = 1, 2, 4, ... kSnrMaxK, measured on an
// engine of its own so the training runs are never reconfigured. Each call draws a slice of at
// most about kProbeSamplesPerCall samples, so a frame stays short: a point appears after its
// first slice and refines over the next frames, K after K, while the policy stands still.
namespace rl::live {

inline constexpr long long kProbeSamplesPerCall = 1LL << 18;

// The batches a finished point holds: min(M, max(64, 2^20 / K)).
int snr_point_batches(int M, int K);

struct SnrProbeRequest {
    std::vector<double> logits;
    double running_value = 0.0;
    std::uint32_t step = 0;
};

class SnrProbe {
  public:
    explicit SnrProbe(std::unique_ptr<engine::Engine> engine);

    // The policy or the settings moved on: every point is stale until measured again.
    void invalidate();
    bool pending() const { return m_next < m_ks.size(); }
    // Draws the next slice for the first K whose point is not finished.
    void measure_next(const core::Experiment& experiment, const SnrProbeRequest& request);

    const std::vector<SnrPoint>& points() const { return m_points; }  // ascending K
    // The probe engine's one-off notice (it switched itself to the CPU, say); empty when none.
    std::string take_notice() { return m_engine->take_notice(); }
    std::uint64_t version() const { return m_version; }

  private:
    // The sums a point is computed from, over the slices drawn so far.
    struct Sums {
        int batches = 0;
        int slices = 0;
        std::vector<double> mean_sum;  // sum over slices of batches * mean estimate
        double norm2_sum = 0.0;
    };
    SnrPoint& point_for(int K);

    std::unique_ptr<engine::Engine> m_engine;
    std::vector<int> m_ks;
    std::size_t m_next = 0;  // index into m_ks of the point being measured
    Sums m_sums;
    std::vector<SnrPoint> m_points;
    std::uint64_t m_version = 1;
};

}  // namespace rl::live
