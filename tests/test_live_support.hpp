#pragma once

// Helpers shared by the live-session tests: a session on the CPU engine with two threads, frames
// stepped deterministically, and an engine wrapper that fails on demand.

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "engine/forwarding_engine.hpp"
#include "io/presets.hpp"
#include "live/runner.hpp"

namespace rl_test {

inline rl::live::RunnerOptions cpu_options() {
    rl::live::RunnerOptions o;
    o.engine = "cpu";
    o.threads = 2;
    return o;
}

// frame() then wait_idle(): every frame's tick runs, so results do not depend on timing.
inline void run_frames(rl::live::Runner& live, int frames) {
    for (int i = 0; i < frames; ++i) {
        live.frame();
        live.wait_idle();
    }
}

// Exactly `n` steps in one tick, as the single-step button asks for them.
inline void take_steps(rl::live::Runner& live, int n) {
    for (int i = 0; i < n; ++i)
        live.step_once();
    live.wait_idle();
}

// One field set as the controls set it, then applied and waited for.
inline void edit(rl::live::Runner& live, const std::string& key, const std::string& value) {
    rl::core::Settings s = live.settings();
    REQUIRE(rl::core::set_field(s, key, value).empty());
    REQUIRE(live.apply(s).empty());
    live.wait_idle();
}

// An episode preset with few runs and measured batches, and room to step.
inline rl::core::Settings small_episode_preset(const char* name) {
    const rl::io::SettingsResult s = rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, name);
    REQUIRE_MESSAGE(s, s.error);
    rl::core::Settings out = *s.settings;
    out.runs = 16;
    out.M = 256;
    out.steps = 100000;
    return out;
}

inline rl::live::Results snapshot(const rl::live::Runner& live) {
    rl::live::Results copy;
    live.read([&copy](const rl::live::Results& r) { copy = r; });
    return copy;
}

inline bool has_message(const std::vector<rl::live::Message>& messages, rl::live::Level level,
                        const std::string& part) {
    return std::any_of(messages.begin(), messages.end(), [&](const rl::live::Message& m) {
        return m.level == level && m.text.find(part) != std::string::npos;
    });
}

// What the test wants a FaultyEngine to do; shared, since the session owns the engine.
struct Faults {
    std::atomic<int> diverge_at{-1};  // report a divergence on reaching this step
    std::atomic<bool> throw_in_cloud{false};
};

// A real CPU engine that diverges or throws when told to, as a failing engine would.
class FaultyEngine final : public rl::engine::ForwardingEngine {
  public:
    explicit FaultyEngine(std::shared_ptr<Faults> faults)
        : ForwardingEngine(rl::engine::make_cpu_engine(2)), m_faults(std::move(faults)) {}
    std::string description() const override { return "faulty " + ForwardingEngine::description(); }
    rl::engine::CloudResult gradient_cloud(const rl::engine::CloudRequest& r) override {
        if (m_faults->throw_in_cloud) throw std::runtime_error("injected cloud failure");
        return ForwardingEngine::gradient_cloud(r);
    }
    rl::engine::TrainingAdvance advance(int steps) override {
        const int at = m_faults->diverge_at;
        const int done = inner().steps_done();
        if (at < 0 || done >= at) return inner().advance(steps);
        rl::engine::TrainingAdvance a = inner().advance(std::min(steps, at - done));
        if (inner().steps_done() == at) {
            a.diverged = true;
            a.divergence = "run 0 diverged at step " + std::to_string(at) + ": injected";
        }
        return a;
    }

  private:
    std::shared_ptr<Faults> m_faults;
};

}  // namespace rl_test
