#pragma once

#include <string>
#include <vector>

#include "core/philox.hpp"
#include "engine/cuda_fault_injection.hpp"

// What the rest of the program may know about CUDA: plain C++ types only.
namespace rl::engine {

struct CudaProbe {
    bool available = false;
    std::string reason;       // why not, when not available
    std::string device_name;  // when available
};

// Asks the driver for a device. Never throws.
CudaProbe probe_cuda_device();

// Makes device 0 current and creates its context now, so a device that cannot start fails when
// the engine is built (and auto picks the CPU) rather than at the first gradient cloud. Passes
// through the engine's start fault point first. Throws std::runtime_error on any CUDA error.
void start_cuda_device(CudaFaultInjector& faults);

// Philox on the device for the given counters and keys (same length), so tests can check that
// host and device draw the same words. Throws std::runtime_error on any CUDA error.
std::vector<core::PhiloxCounter> cuda_philox(const std::vector<core::PhiloxCounter>& counters,
                                             const std::vector<core::PhiloxKey>& keys);

}  // namespace rl::engine
