#pragma once

// A real engine wrapped so a test can override one call (inject a divergence or a failure) and
// pass the rest through.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.hpp"

namespace rl_test {

class ForwardingEngine : public rl::engine::Engine {
  public:
    explicit ForwardingEngine(std::unique_ptr<rl::engine::Engine> inner)
        : m_inner(std::move(inner)) {}
    std::string_view name() const override { return m_inner->name(); }
    std::string description() const override { return m_inner->description(); }
    void configure(const rl::core::Experiment& e) override { m_inner->configure(e); }
    bool update(const rl::core::Experiment& e) override { return m_inner->update(e); }
    rl::engine::CloudResult gradient_cloud(const rl::engine::CloudRequest& r) override {
        return m_inner->gradient_cloud(r);
    }
    rl::engine::TrainingAdvance advance(int steps) override { return m_inner->advance(steps); }
    int steps_done() const override { return m_inner->steps_done(); }
    std::vector<double> run_logits(int run) const override { return m_inner->run_logits(run); }
    double run_running_baseline(int run) const override {
        return m_inner->run_running_baseline(run);
    }
    void restore(const std::vector<std::vector<double>>& logits,
                 const std::vector<rl::core::RunningBaseline>& running, int steps_done) override {
        m_inner->restore(logits, running, steps_done);
    }
    std::vector<rl::core::RunningBaseline> running_baselines() const override {
        return m_inner->running_baselines();
    }
    std::string take_notice() override { return m_inner->take_notice(); }

  protected:
    rl::engine::Engine& inner() { return *m_inner; }

  private:
    std::unique_ptr<rl::engine::Engine> m_inner;
};

}  // namespace rl_test
