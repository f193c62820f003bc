#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "core/advantages.hpp"
#include "core/experiment.hpp"
#include "core/update_step.hpp"
#include "engine/engine.hpp"
#include "engine/episode_cloud.hpp"
#include "engine/episode_runs.hpp"
#include "engine/thread_pool.hpp"

namespace rl::engine {

// The multithreaded CPU engine. Work is split into tasks whose boundaries depend only on the
// problem (never on the thread count), and partial results are combined in task order, so the
// same seed gives bit-identical results on any number of threads.
class CpuEngine final : public Engine {
  public:
    explicit CpuEngine(int threads);

    std::string_view name() const override { return "cpu"; }
    std::string description() const override;

    void configure(const core::Experiment& e) override;
    bool update(const core::Experiment& e) override;
    CloudResult gradient_cloud(const CloudRequest& request) override;
    TrainingAdvance advance(int steps) override;

    std::string episode_refusal() const override { return {}; }
    EpisodeStart configure_episodes(const core::Settings& s) override;
    CloudResult episode_cloud(const EpisodeCloudRequest& request) override;
    void start_episode_cloud(const EpisodeCloudRequest& request) override;
    std::optional<CloudResult> continue_episode_cloud(int batches) override;
    EpisodeAdvance advance_episodes(int steps) override;

    int steps_done() const override;
    std::vector<double> run_logits(int run) const override;
    double run_running_baseline(int run) const override;
    void restore(const std::vector<std::vector<double>>& logits,
                 const std::vector<core::RunningBaseline>& running, int steps_done) override;
    // None while an episode problem is held: its runs' memory is their own.
    std::vector<core::RunningBaseline> running_baselines() const override {
        return m_episodes ? std::vector<core::RunningBaseline>{} : m_running;
    }

  private:
    struct RunOutcome;
    // Per-worker buffers, so a training step does not allocate its batch.
    struct RunScratch {
        std::vector<std::uint32_t> actions;
        std::vector<double> rewards, used;
        std::vector<std::pair<double, std::uint32_t>> sorted_uniforms;  // draw_batch_by_cdf's
        core::UpdateScratch update;
    };

    // Throws std::logic_error naming `call` while an episode problem is held.
    void require_bandit(const char* call) const;
    const core::RunProblem& problem_for(std::uint32_t run, core::RunProblem& storage) const;
    // tracked_probs receives the tracked actions' probabilities, tracked_stride apart.
    void step_run(std::uint32_t run, RunScratch& scratch, RunOutcome& out, double* tracked_probs,
                  std::size_t tracked_stride, StepDetail* detail);

    ThreadPool m_pool;
    std::vector<RunScratch> m_run_scratch;  // one per pool worker
    core::Experiment m_experiment;
    core::RunProblem m_shared_problem;             // when every run has the same rewards
    std::vector<core::RunProblem> m_run_problems;  // per-run rewards, when they fit in memory
    std::vector<double> m_logits;                  // runs x N
    std::vector<core::RunningBaseline> m_running;
    int m_steps_done = 0;
    // The episode problem, while one is held (engine/cpu_engine_episodes.cpp).
    std::unique_ptr<EpisodeRuns> m_episodes;
    // A cloud of it drawn over several calls; dropped before the problem it draws from.
    std::unique_ptr<EpisodeCloudDraw> m_episode_cloud;
};

}  // namespace rl::engine
