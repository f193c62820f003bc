#include <stdexcept>

#include "engine/cuda/cuda_device.hpp"
#include "engine/cuda/cuda_engine.hpp"

// The CPU-only build: nvcc was not found when the project was configured, or CUDA was turned off
// (the sanitizer build), which the reason must tell apart for whoever reads it.
namespace rl::engine {

CudaProbe probe_cuda_device() {
    CudaProbe probe;
#if defined(RL_CUDA_TURNED_OFF)
    probe.reason = "this build has no CUDA support (configured with RL_WITH_CUDA=OFF)";
#else
    probe.reason = "this build has no CUDA support (nvcc was not found at configure time)";
#endif
    return probe;
}

std::vector<core::PhiloxCounter> cuda_philox(const std::vector<core::PhiloxCounter>&,
                                             const std::vector<core::PhiloxKey>&) {
    throw std::runtime_error("this build has no CUDA support");
}

std::unique_ptr<Engine> make_cuda_engine(CudaFaultInjector) {
    throw std::runtime_error("this build has no CUDA support");
}

int cuda_build_version() {
    return 0;
}

}  // namespace rl::engine
