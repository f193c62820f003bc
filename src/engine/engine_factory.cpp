#include <stdexcept>
#include <string>

#include "engine/cpu_engine.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/cuda/cuda_engine.hpp"
#include "engine/engine.hpp"
#include "engine/fallback_engine.hpp"

namespace rl {

std::unique_ptr<Engine> make_cpu_engine(int threads) {
    return std::make_unique<CpuEngine>(threads);
}

EngineChoice make_engine(std::string_view which, int cpu_threads) {
    if (which != "auto" && which != "cpu" && which != "cuda")
        throw std::invalid_argument("--engine: must be one of auto, cpu, cuda");
    EngineChoice choice;
    if (which == "cpu") {
        choice.engine = make_cpu_engine(cpu_threads);
        choice.message = choice.engine->description() + " (chosen with --engine cpu)";
        return choice;
    }
    const CudaProbe probe = probe_cuda_device();
    std::string why = probe.reason;
    if (probe.available) {
        try {
            std::unique_ptr<Engine> cuda = make_cuda_engine();
            choice.message = cuda->description();
            if (which == "cuda") {
                choice.engine = std::move(cuda);
                choice.message += " (chosen with --engine cuda)";
                return choice;
            }
            // auto: an error at run time (out of memory, a lost device) moves to the CPU.
            choice.engine = std::make_unique<FallbackEngine>(
                std::move(cuda), [cpu_threads] { return make_cpu_engine(cpu_threads); });
            choice.message += " (a CUDA device answered; falls back to the CPU on any error)";
            return choice;
        } catch (const std::exception& e) {
            why = "CUDA device " + probe.device_name +
                  " found, but the CUDA engine failed: " + e.what();
        }
    }
    if (which == "cuda") throw std::invalid_argument("--engine cuda: " + why);
    choice.engine = make_cpu_engine(cpu_threads);
    choice.message = choice.engine->description() + " (" + why + ")";
    return choice;
}

}  // namespace rl
