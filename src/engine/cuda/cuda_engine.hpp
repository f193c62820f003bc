#pragma once

#include <memory>

#include "engine/cuda_fault_injection.hpp"

// What the rest of the program sees of the CUDA engine: plain C++ only, so the factory, the
// fallback and the tests compile the same with or without nvcc.
namespace rl::engine {

class Engine;  // engine/engine.hpp; not included, so nvcc (C++17) can read this header

// The CUDA engine on device 0. Throws std::runtime_error when no device answers or any CUDA call
// fails (in a build without CUDA: always). faults: RL_CUDA_FAULT's fault points for this engine.
std::unique_ptr<Engine> make_cuda_engine(CudaFaultInjector faults = {});

// Whether the CUDA engine trains the runs on the device. Not yet: training forwards to a CPU
// engine inside it, so comparing its training with the CPU engine's would compare the CPU engine
// with itself; the parity test for training waits for this.
inline constexpr bool kCudaTrainsOnDevice = false;

// Why the CUDA engine (and its stand-in for RL_CUDA_FAULT) refuses episodes: their sampler walks
// a model through virtual calls, which has no device form yet. auto runs them on the CPU.
inline constexpr const char* kCudaNoEpisodes =
    "the CUDA engine does not run episodes (token sequences, tables) yet; --engine cpu or auto "
    "runs them on the CPU";

// The CUDA runtime version this build's kernels were compiled against (e.g. 13000), or 0 in a
// build without CUDA, so a test can notice CUDA silently dropping out of a build.
int cuda_build_version();

}  // namespace rl::engine
