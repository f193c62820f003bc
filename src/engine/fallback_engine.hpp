#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/forwarding_engine.hpp"

namespace rl::engine {

// Runs a primary engine (CUDA) and, the first time it throws (a CUDA error, out of memory),
// replaces it by a CPU engine that carries on from the last state the primary completed: the same
// experiment, every run's logits and running baseline, the same step count. The failed call is
// retried once on the replacement, so callers see no error, only a notice saying why.
class FallbackEngine final : public ForwardingEngine {
  public:
    using Factory = std::function<std::unique_ptr<Engine>()>;

    FallbackEngine(std::unique_ptr<Engine> primary, Factory make_fallback);

    void configure(const core::Experiment& e) override;
    bool update(const core::Experiment& e) override;
    CloudResult gradient_cloud(const CloudRequest& request) override;
    TrainingAdvance advance(int steps) override;

    void restore(const std::vector<std::vector<double>>& logits,
                 const std::vector<core::RunningBaseline>& running, int steps_done) override;

    // Episodes the primary refuses run on an engine from the fallback factory, made for them
    // and dropped when a bandit is configured again, so the primary keeps the bandits.
    std::string episode_refusal() const override { return {}; }
    EpisodeStart configure_episodes(const core::Settings& s) override;
    CloudResult episode_cloud(const EpisodeCloudRequest& request) override;
    void start_episode_cloud(const EpisodeCloudRequest& request) override;
    std::optional<CloudResult> continue_episode_cloud(int batches) override;
    EpisodeAdvance advance_episodes(int steps) override;
    int steps_done() const override;
    std::vector<double> run_logits(int run) const override;

    std::string take_notice() override;

    bool fell_back() const { return m_fell_back; }

  private:
    // The state after the last call that completed, which the replacement starts from.
    struct Snapshot {
        bool configured = false;
        core::Experiment experiment;
        std::vector<std::vector<double>> logits;
        std::vector<core::RunningBaseline> running;
        int steps_done = 0;
    };

    void take_snapshot();
    void switch_to_fallback(const std::string& why);
    // Runs call on the current engine; if the primary throws, switches and runs it once more.
    template <typename Call>
    auto guarded(Call&& call) -> decltype(call());

    // The engine holding the episode problem: the inner one, or m_episode_engine when the inner
    // one refuses them. Throws std::logic_error when none is held.
    Engine& episodes() const;
    void require_bandit(const char* call) const;

    Factory m_make_fallback;
    std::unique_ptr<Engine> m_episode_engine;
    bool m_on_episodes = false;
    Snapshot m_snapshot;
    bool m_fell_back = false;
    std::string m_notice;
};

}  // namespace rl::engine
