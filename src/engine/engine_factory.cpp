#include <stdexcept>
#include <string>

#include "engine/cpu_engine.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/engine.hpp"

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
    // The CUDA engine itself is not part of this build yet; say exactly that rather than
    // pretending the device is missing.
    const std::string why = probe.available ? "found CUDA device " + probe.device_name +
                                                  ", but this build has no CUDA engine yet"
                                            : probe.reason;
    if (which == "cuda") throw std::invalid_argument("--engine cuda: " + why);
    choice.engine = make_cpu_engine(cpu_threads);
    choice.message = choice.engine->description() + " (" + why + ")";
    return choice;
}

}  // namespace rl
