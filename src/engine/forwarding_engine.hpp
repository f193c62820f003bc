#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.hpp"

namespace rl::engine {

// An engine that passes every call on to an inner engine. The decorators (the fallback, the
// stand-in for a CUDA engine with faults, the CUDA engine's CPU trainer) and the tests' engines
// that misbehave on purpose derive from it and override only the calls they change.
class ForwardingEngine : public Engine {
  public:
    // Throws std::invalid_argument when `inner` is null.
    explicit ForwardingEngine(std::unique_ptr<Engine> inner) : m_inner(std::move(inner)) {
        if (!m_inner) throw std::invalid_argument("a forwarding engine needs an inner engine");
    }

    std::string_view name() const override { return m_inner->name(); }
    std::string description() const override { return m_inner->description(); }
    void configure(const core::Experiment& e) override { m_inner->configure(e); }
    bool update(const core::Experiment& e) override { return m_inner->update(e); }
    CloudResult gradient_cloud(const CloudRequest& request) override {
        return m_inner->gradient_cloud(request);
    }
    TrainingAdvance advance(int steps) override { return m_inner->advance(steps); }
    int steps_done() const override { return m_inner->steps_done(); }
    std::vector<double> run_logits(int run) const override { return m_inner->run_logits(run); }
    double run_running_baseline(int run) const override {
        return m_inner->run_running_baseline(run);
    }
    void restore(const std::vector<std::vector<double>>& logits,
                 const std::vector<core::RunningBaseline>& running, int steps_done) override {
        m_inner->restore(logits, running, steps_done);
    }
    std::vector<core::RunningBaseline> running_baselines() const override {
        return m_inner->running_baselines();
    }
    std::string episode_refusal() const override { return m_inner->episode_refusal(); }
    EpisodeStart configure_episodes(const core::Settings& s) override {
        return m_inner->configure_episodes(s);
    }
    CloudResult episode_cloud(const EpisodeCloudRequest& request) override {
        return m_inner->episode_cloud(request);
    }
    void start_episode_cloud(const EpisodeCloudRequest& request) override {
        m_inner->start_episode_cloud(request);
    }
    std::optional<CloudResult> continue_episode_cloud(int batches) override {
        return m_inner->continue_episode_cloud(batches);
    }
    EpisodeAdvance advance_episodes(int steps) override { return m_inner->advance_episodes(steps); }
    std::string take_notice() override { return m_inner->take_notice(); }

  protected:
    Engine& inner() const { return *m_inner; }
    // The fallback puts its replacement here; the old inner engine is gone before this returns.
    void replace_inner(std::unique_ptr<Engine> inner) { m_inner = std::move(inner); }

  private:
    std::unique_ptr<Engine> m_inner;
};

}  // namespace rl::engine
