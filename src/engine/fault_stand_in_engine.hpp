#pragma once

#include <memory>

#include "engine/cuda_fault_injection.hpp"
#include "engine/engine.hpp"

namespace rl::engine {

// Where no CUDA device answers, RL_CUDA_FAULT still needs a device engine to break: this stands
// in for the CUDA engine. It computes on a CPU engine behind the CUDA engine's fault points, hit
// where the CUDA engine hits them (start when built, an allocation on the first gradient cloud and
// whenever a cloud needs larger buffers, a launch per cloud), so the factory wraps it in the same
// FallbackEngine and the real fallback path runs. Throws from the constructor on a start fault.
std::unique_ptr<Engine> make_fault_stand_in_engine(const CudaFaultPlan& plan, int cpu_threads);

}  // namespace rl::engine
