#pragma once

// Lets the same inline function compile for the host and, under nvcc, for the device, so the
// CPU and CUDA engines share one definition of every random draw.
#if defined(__CUDACC__)
#define RL_HOST_DEVICE __host__ __device__
#else
#define RL_HOST_DEVICE
#endif
