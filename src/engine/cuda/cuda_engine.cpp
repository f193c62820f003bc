#include "engine/cuda/cuda_engine.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/alias_table.hpp"
#include "core/exact.hpp"
#include "core/policy_point.hpp"
#include "engine/cloud_parts.hpp"
#include "engine/cuda/cloud_device.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/forwarding_engine.hpp"
#include "engine/summary_stats.hpp"

namespace rl::engine {

namespace {

// The gradient cloud runs on the device: the host prepares the policy once per call (pi, alias
// table, basis, closed forms, shared with the CPU engine), the device draws and scores every
// batch and bins the cloud. Training still runs on a host CPU engine kept inside, so the runs'
// state is the CPU engine's and a fallback or restore needs no device copy.
class CudaEngine final : public ForwardingEngine {
  public:
    explicit CudaEngine(CudaFaultInjector faults)
        : ForwardingEngine(make_cpu_engine(0)), m_faults(std::move(faults)), m_device(&m_faults) {
        const CudaProbe probe = probe_cuda_device();
        if (!probe.available) throw std::runtime_error(probe.reason);
        m_device_name = probe.device_name;
        start_cuda_device(m_faults);
    }

    std::string_view name() const override { return "cuda"; }
    std::string description() const override {
        return "CUDA engine on " + m_device_name + " (training on the " + inner().description() +
               ")";
    }

    // Training is the inner CPU engine's; the cloud needs the experiment too.
    void configure(const core::Experiment& e) override {
        m_experiment = e;
        ForwardingEngine::configure(e);
    }
    bool update(const core::Experiment& e) override {
        m_experiment = e;
        return ForwardingEngine::update(e);
    }
    CloudResult gradient_cloud(const CloudRequest& request) override;

    std::string episode_refusal() const override { return kCudaNoEpisodes; }
    EpisodeStart configure_episodes(const core::Settings&) override {
        throw std::invalid_argument(kCudaNoEpisodes);
    }

  private:
    std::string m_device_name;
    core::Experiment m_experiment;
    CudaFaultInjector m_faults;  // before m_device, which holds its address
    CloudDevice m_device;
};

CloudResult CudaEngine::gradient_cloud(const CloudRequest& request) {
    const core::Experiment& e = m_experiment;
    const core::EstimatorSettings& est = e.estimator;
    const core::RunProblem problem = core::make_run_problem(e, request.run);
    const core::PolicyPoint pt = core::make_policy_point(
        request.logits, e.parameterization, problem.rbar, problem.var, e.ref_log_probs, est);
    CloudResult result = cloud_exact_part(pt, est, request.K, request.axis_y_hint);
    const core::AliasTable table(pt.pi);

    CloudBatchInputs in;
    in.seed = e.seed;
    in.run = request.run;
    in.step = request.step;
    in.K = request.K;
    in.M = request.M;
    in.dim = static_cast<std::uint32_t>(pt.dim);
    in.baseline = est.baseline;
    in.fixed_b = core::fixed_baseline_value(pt, est, request.running_value);
    in.clip = est.clip;
    in.noisy = problem.noisy;
    in.table.assign(table.entries().begin(), table.entries().end());
    in.samplers = problem.samplers;
    in.shift = pt.reward_shift;
    in.axis_x = result.axis_x;
    in.axis_y = result.axis_y;
    in.pi_dim.assign(pt.pi.begin(), pt.pi.begin() + static_cast<std::ptrdiff_t>(pt.dim));
    in.pi_dim.resize(pt.n, 0.0);
    in.det = pt.deterministic;
    in.proj = cloud_projections(pt, result);

    CloudBatchOutputs out = m_device.run(in);
    result.norm2 = std::move(out.norm2);
    finish_cloud(result, pt, out.x, out.y, out.action_sums, out.scaled_mean_adv, out.scale_sum);
    const double g_norm = std::sqrt(core::dot_dim(pt, result.true_gradient, result.true_gradient));
    Histogram2D h = histogram_frame(result.x, result.y, request.histogram_bins, g_norm);
    h.counts = m_device.histogram(h.bins_x, h.bins_y, h.x_min, h.x_max, h.y_min, h.y_max);
    result.histogram = std::move(h);
    return result;
}

}  // namespace

std::unique_ptr<Engine> make_cuda_engine(CudaFaultInjector faults) {
    return std::make_unique<CudaEngine>(std::move(faults));
}

}  // namespace rl::engine
