#pragma once

#include <optional>
#include <string>
#include <string_view>

// RL_CUDA_FAULT: a test switch that makes the CUDA engine fail on purpose, so the fallback to the
// CPU engine can be exercised on any machine. Plain C++17: the CUDA sources (nvcc) read it too.
//
//   start    the engine's start (context creation) fails
//   alloc    the engine's first device allocation fails (out of memory)
//   run[:N]  the engine's N-th gradient-cloud kernel launch fails (N from 1; default 3)
//
// Each engine counts its own allocations and launches, so two engines in one process (the
// window's training runs and its SNR probe) fail independently, each at its own N-th launch.
namespace rl::engine {

inline constexpr const char* kCudaFaultVariable = "RL_CUDA_FAULT";
inline constexpr int kCudaFaultDefaultLaunch = 3;
inline constexpr int kCudaFaultMaxLaunch = 1000000;

enum class CudaFaultSite { kStart, kAlloc, kRun };

struct CudaFaultPlan {
    CudaFaultSite site = CudaFaultSite::kStart;
    int launch = 0;     // kRun: the launch that fails, counted from 1
    std::string value;  // the switch as set, for messages
};

// What the switch asks for: nothing (unset or empty), a plan, or why the value was refused.
struct CudaFaultSwitch {
    std::optional<CudaFaultPlan> plan;
    std::string error;
};

CudaFaultSwitch parse_cuda_fault(std::string_view value);
// Reads the environment variable; the same rules as parse_cuda_fault.
CudaFaultSwitch read_cuda_fault_switch();

// One engine's fault points. Each throws std::runtime_error, the type every real CUDA error in
// the engine throws, with the CUDA error a real failure there would report and the switch named.
// After a launch fails every later launch fails too, as after a real launch failure (the context
// is lost); start and alloc faults fire once.
class CudaFaultInjector {
  public:
    CudaFaultInjector() = default;  // injects nothing
    explicit CudaFaultInjector(std::optional<CudaFaultPlan> plan) : m_plan(std::move(plan)) {}

    bool armed() const { return m_plan.has_value(); }
    void at_start();   // the engine starts, after the device answered the probe
    void at_alloc();   // before each device allocation
    void at_launch();  // before each gradient-cloud kernel launch

  private:
    [[noreturn]] void fail(const char* call, const char* error_text, const char* error_name) const;

    std::optional<CudaFaultPlan> m_plan;
    int m_launches = 0;
    bool m_alloc_failed = false;
    bool m_launch_failed = false;
};

}  // namespace rl::engine
