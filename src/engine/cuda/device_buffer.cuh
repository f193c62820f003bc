#pragma once

#include <cuda_runtime.h>

#include <cstddef>

#include "engine/cuda/cuda_check.cuh"
#include "engine/cuda_fault_injection.hpp"

namespace rl::engine {

// Device memory that frees itself, so no throw can leak it. An engine passes its fault injector
// (RL_CUDA_FAULT=alloc), so an injected out-of-memory comes from exactly where a real one would.
template <typename T>
class DeviceBuffer {
  public:
    explicit DeviceBuffer(std::size_t count, CudaFaultInjector* faults = nullptr) : m_count(count) {
        if (count == 0) return;
        if (faults != nullptr) faults->at_alloc();
        RL_CUDA_CHECK_THROW(cudaMalloc(&m_data, count * sizeof(T)));
    }
    ~DeviceBuffer() {
        if (m_data) RL_CUDA_CHECK_LOG(cudaFree(m_data));
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    T* data() { return m_data; }
    const T* data() const { return m_data; }
    std::size_t size() const { return m_count; }

    void upload(const T* host, std::size_t count) {
        RL_CUDA_CHECK_THROW(cudaMemcpy(m_data, host, count * sizeof(T), cudaMemcpyHostToDevice));
    }
    void download(T* host, std::size_t count) const {
        RL_CUDA_CHECK_THROW(cudaMemcpy(host, m_data, count * sizeof(T), cudaMemcpyDeviceToHost));
    }

  private:
    T* m_data = nullptr;
    std::size_t m_count = 0;
};

}  // namespace rl::engine
