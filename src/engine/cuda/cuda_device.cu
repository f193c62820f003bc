#include <cuda_runtime.h>

#include <sstream>
#include <stdexcept>

#include "engine/cuda/cuda_check.cuh"
#include "engine/cuda/cuda_device.hpp"
#include "engine/cuda/cuda_engine.hpp"
#include "engine/cuda/device_buffer.cuh"

namespace rl::engine {

namespace {
__global__ void philox_kernel(const core::PhiloxCounter* counters, const core::PhiloxKey* keys,
                              core::PhiloxCounter* out, unsigned n) {
    const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = core::philox4x32_10(counters[i], keys[i]);
}
}  // namespace

CudaProbe probe_cuda_device() {
    CudaProbe probe;
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
        probe.reason = std::string("no usable CUDA driver or device: ") + cudaGetErrorString(err);
        cudaGetLastError();  // clear the sticky error so a later probe starts clean
        return probe;
    }
    if (count == 0) {
        probe.reason = "no CUDA device found";
        return probe;
    }
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) {
        probe.reason = "the CUDA device did not answer a properties query";
        return probe;
    }
    probe.available = true;
    probe.device_name = prop.name;
    return probe;
}

void start_cuda_device(CudaFaultInjector& faults) {
    faults.at_start();
    RL_CUDA_CHECK_THROW(cudaSetDevice(0));
    // The runtime creates the context lazily; freeing nothing is the usual way to force it.
    RL_CUDA_CHECK_THROW(cudaFree(nullptr));
}

std::vector<core::PhiloxCounter> cuda_philox(const std::vector<core::PhiloxCounter>& counters,
                                             const std::vector<core::PhiloxKey>& keys) {
    if (counters.size() != keys.size()) throw std::invalid_argument("cuda_philox: size mismatch");
    const auto n = static_cast<unsigned>(counters.size());
    std::vector<core::PhiloxCounter> out(n);
    if (n == 0) return out;
    DeviceBuffer<core::PhiloxCounter> d_counters(n), d_out(n);
    DeviceBuffer<core::PhiloxKey> d_keys(n);
    d_counters.upload(counters.data(), n);
    d_keys.upload(keys.data(), n);
    const unsigned block = 128;
    philox_kernel<<<(n + block - 1) / block, block>>>(d_counters.data(), d_keys.data(),
                                                      d_out.data(), n);
    RL_CUDA_CHECK_THROW(cudaGetLastError());
    d_out.download(out.data(), n);
    return out;
}

int cuda_build_version() {
    return CUDART_VERSION;
}

}  // namespace rl::engine
