#include "engine/fault_stand_in_engine.hpp"

#include <string>

namespace rl::engine {

namespace {

class FaultStandInEngine final : public Engine {
  public:
    FaultStandInEngine(const CudaFaultPlan& plan, int cpu_threads)
        : m_faults(plan), m_cpu(make_cpu_engine(cpu_threads)) {
        m_faults.at_start();
    }

    std::string_view name() const override { return "stand-in CUDA"; }
    // Short: it heads the status line until the fault; the factory's message says why.
    std::string description() const override {
        return "stand-in CUDA engine for " + std::string(kCudaFaultVariable) +
               " tests (computes on the " + m_cpu->description() + ")";
    }

    void configure(const core::Experiment& e) override { m_cpu->configure(e); }
    bool update(const core::Experiment& e) override { return m_cpu->update(e); }
    CloudResult gradient_cloud(const CloudRequest& request) override {
        // The CUDA engine's buffers hold M batches and N actions; it allocates when either grows.
        if (request.M > m_buffer_batches || request.logits.size() > m_buffer_actions) {
            m_faults.at_alloc();
            m_buffer_batches = request.M;
            m_buffer_actions = request.logits.size();
        }
        m_faults.at_launch();
        return m_cpu->gradient_cloud(request);
    }
    TrainingAdvance advance(int steps) override { return m_cpu->advance(steps); }

    int steps_done() const override { return m_cpu->steps_done(); }
    std::vector<double> run_logits(int run) const override { return m_cpu->run_logits(run); }
    double run_running_baseline(int run) const override { return m_cpu->run_running_baseline(run); }
    void restore(const std::vector<std::vector<double>>& logits,
                 const std::vector<core::RunningBaseline>& running, int steps_done) override {
        m_cpu->restore(logits, running, steps_done);
    }
    std::vector<core::RunningBaseline> running_baselines() const override {
        return m_cpu->running_baselines();
    }

  private:
    CudaFaultInjector m_faults;
    std::unique_ptr<Engine> m_cpu;
    int m_buffer_batches = 0;
    std::size_t m_buffer_actions = 0;
};

}  // namespace

std::unique_ptr<Engine> make_fault_stand_in_engine(const CudaFaultPlan& plan, int cpu_threads) {
    return std::make_unique<FaultStandInEngine>(plan, cpu_threads);
}

}  // namespace rl::engine
