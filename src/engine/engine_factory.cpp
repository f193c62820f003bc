#include <stdexcept>
#include <string>

#include "engine/cpu_engine.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/cuda/cuda_engine.hpp"
#include "engine/cuda_fault_injection.hpp"
#include "engine/engine.hpp"
#include "engine/fallback_engine.hpp"
#include "engine/fault_stand_in_engine.hpp"

namespace rl::engine {

std::unique_ptr<Engine> make_cpu_engine(int threads) {
    return std::make_unique<CpuEngine>(threads);
}

namespace {

// auto: an error at run time (out of memory, a lost device) moves to the CPU.
EngineChoice with_fallback(std::unique_ptr<Engine> device, int cpu_threads,
                           const std::string& why) {
    EngineChoice choice;
    choice.message = device->description() + " (" + why + "falls back to the CPU on any error)";
    choice.engine = std::make_unique<FallbackEngine>(
        std::move(device), [cpu_threads] { return make_cpu_engine(cpu_threads); });
    return choice;
}

}  // namespace

EngineChoice make_engine(std::string_view which, int cpu_threads) {
    if (which != "auto" && which != "cpu" && which != "cuda")
        throw std::invalid_argument("--engine: must be one of auto, cpu, cuda");
    // A mistyped switch would quietly test nothing, so it stops the program instead.
    const CudaFaultSwitch faults = read_cuda_fault_switch();
    if (!faults.error.empty()) throw std::invalid_argument(faults.error);
    EngineChoice choice;
    if (which == "cpu") {
        choice.engine = make_cpu_engine(cpu_threads);
        choice.message = choice.engine->description() + " (chosen with --engine cpu)";
        if (faults.plan)
            choice.message += "; " + std::string(kCudaFaultVariable) + "=" + faults.plan->value +
                              " ignored: the CPU engine makes no CUDA calls";
        return choice;
    }
    const CudaProbe probe = probe_cuda_device();
    std::string why = probe.reason;
    if (probe.available) {
        try {
            std::unique_ptr<Engine> cuda = make_cuda_engine(CudaFaultInjector(faults.plan));
            if (which == "cuda") {
                choice.message = cuda->description() + " (chosen with --engine cuda)";
                choice.engine = std::move(cuda);
                return choice;
            }
            return with_fallback(std::move(cuda), cpu_threads, "a CUDA device answered; ");
        } catch (const std::exception& e) {
            why = "CUDA device " + probe.device_name +
                  " found, but the CUDA engine failed: " + e.what();
            choice.warning = true;
        }
    } else if (which == "auto" && faults.plan) {
        // No device to break: the stand-in takes the CUDA engine's place so the fallback runs.
        try {
            const std::string note = "no CUDA device here: " + why + "; ";
            return with_fallback(make_fault_stand_in_engine(*faults.plan, cpu_threads), cpu_threads,
                                 note);
        } catch (const std::exception& e) {
            why = std::string("the stand-in CUDA engine failed: ") + e.what();
            choice.warning = true;
        }
    }
    if (which == "cuda") throw std::invalid_argument("--engine cuda: " + why);
    choice.engine = make_cpu_engine(cpu_threads);
    choice.message = choice.engine->description() + " (" + why + ")";
    if (choice.warning) choice.message = "Fell back to the " + choice.message;
    return choice;
}

}  // namespace rl::engine
