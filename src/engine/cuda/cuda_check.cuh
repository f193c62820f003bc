#pragma once

#include <cuda_runtime.h>

#include <cstdio>
#include <sstream>
#include <stdexcept>

// Two checks, as in tiny-cuda-nn: one throws (for normal code paths), one only logs (for
// destructors, which must not throw).
#define RL_CUDA_CHECK_THROW(call)                                            \
    do {                                                                     \
        const cudaError_t rl_err_ = (call);                                  \
        if (rl_err_ != cudaSuccess) {                                        \
            std::ostringstream rl_os_;                                       \
            rl_os_ << __FILE__ << ":" << __LINE__                            \
                   << ": " #call " failed: " << cudaGetErrorString(rl_err_); \
            throw std::runtime_error(rl_os_.str());                          \
        }                                                                    \
    } while (0)

#define RL_CUDA_CHECK_LOG(call)                                                       \
    do {                                                                              \
        const cudaError_t rl_err_ = (call);                                           \
        if (rl_err_ != cudaSuccess)                                                   \
            std::fprintf(stderr, "%s:%d: " #call " failed: %s\n", __FILE__, __LINE__, \
                         cudaGetErrorString(rl_err_));                                \
    } while (0)
