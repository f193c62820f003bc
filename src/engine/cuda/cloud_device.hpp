#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/alias_sample.hpp"
#include "core/estimator.hpp"
#include "core/reward_model.hpp"
#include "engine/cloud_projections.hpp"
#include "engine/cuda_fault_injection.hpp"

// The device half of the CUDA engine's gradient cloud, behind plain C++ types (C++17, so both
// g++ and nvcc read it). The host prepares the policy once per call; the device draws and scores
// all M batches and bins the cloud.
namespace rl::engine {

struct CloudBatchInputs {
    std::uint64_t seed = 0;
    std::uint32_t run = 0, step = 0;
    int K = 1, M = 1;
    std::uint32_t dim = 0;
    core::BaselineKind baseline = core::BaselineKind::kNone;
    double fixed_b = 0.0;
    double clip = 0.0;
    bool noisy = false;
    std::vector<core::AliasEntry> table;
    std::vector<core::RewardSampler> samplers;
    // Per action, length N; axis_x, axis_y, pi_dim and det are zero at and beyond dim.
    std::vector<double> shift, axis_x, axis_y, pi_dim, det;
    CloudProjections proj;
};

struct CloudBatchOutputs {
    std::vector<double> x, y, norm2;  // per batch, clipped like the CPU engine's
    std::vector<double> action_sums;  // per action: sum over batches of clip scale * A / K
    double scaled_mean_adv = 0.0;     // sum over batches of clip scale * mean advantage
    double scale_sum = 0.0;           // sum over batches of clip scales
};

class CloudDevice {
  public:
    // faults: the owning engine's fault points (RL_CUDA_FAULT), or null for none; must outlive
    // this.
    explicit CloudDevice(CudaFaultInjector* faults = nullptr);
    ~CloudDevice();
    CloudDevice(const CloudDevice&) = delete;
    CloudDevice& operator=(const CloudDevice&) = delete;

    // Throws std::runtime_error on any CUDA error.
    CloudBatchOutputs run(const CloudBatchInputs& in);
    // Bins the last run's points (as floats, like CloudResult::x and y) on the device.
    std::vector<std::uint32_t> histogram(int bins_x, int bins_y, double x_min, double x_max,
                                         double y_min, double y_max);

  private:
    struct Buffers;
    std::unique_ptr<Buffers> m_buffers;
    CudaFaultInjector* m_faults;
};

}  // namespace rl::engine
