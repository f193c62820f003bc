#include "engine/fault_stand_in_engine.hpp"

#include <stdexcept>
#include <string>

#include "engine/cuda/cuda_engine.hpp"
#include "engine/forwarding_engine.hpp"

namespace rl::engine {

namespace {

class FaultStandInEngine final : public ForwardingEngine {
  public:
    FaultStandInEngine(const CudaFaultPlan& plan, int cpu_threads)
        : ForwardingEngine(make_cpu_engine(cpu_threads)), m_faults(plan) {
        m_faults.at_start();
    }

    std::string_view name() const override { return "stand-in CUDA"; }
    // Short: it heads the status line until the fault; the factory's message says why.
    std::string description() const override {
        return "stand-in CUDA engine for " + std::string(kCudaFaultVariable) +
               " tests (computes on the " + inner().description() + ")";
    }

    CloudResult gradient_cloud(const CloudRequest& request) override {
        // The CUDA engine's buffers hold M batches and N actions; it allocates when either grows.
        if (request.M > m_buffer_batches || request.logits.size() > m_buffer_actions) {
            m_faults.at_alloc();
            m_buffer_batches = request.M;
            m_buffer_actions = request.logits.size();
        }
        m_faults.at_launch();
        return inner().gradient_cloud(request);
    }

    // It stands in for the CUDA engine, refusals included.
    std::string episode_refusal() const override { return kCudaNoEpisodes; }
    EpisodeStart configure_episodes(const core::Settings&) override {
        throw std::invalid_argument(kCudaNoEpisodes);
    }

  private:
    CudaFaultInjector m_faults;
    int m_buffer_batches = 0;
    std::size_t m_buffer_actions = 0;
};

}  // namespace

std::unique_ptr<Engine> make_fault_stand_in_engine(const CudaFaultPlan& plan, int cpu_threads) {
    return std::make_unique<FaultStandInEngine>(plan, cpu_threads);
}

}  // namespace rl::engine
