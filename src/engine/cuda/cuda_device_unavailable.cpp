#include <stdexcept>

#include "engine/cuda/cuda_device.hpp"

// The CPU-only build: nvcc was not found when the project was configured.
namespace rl {

CudaProbe probe_cuda_device() {
    CudaProbe probe;
    probe.reason = "this build has no CUDA support (nvcc was not found at configure time)";
    return probe;
}

std::vector<PhiloxCounter> cuda_philox(const std::vector<PhiloxCounter>&, const std::vector<PhiloxKey>&) {
    throw std::runtime_error("this build has no CUDA support");
}

}  // namespace rl
