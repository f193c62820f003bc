#include "engine/fallback_engine.hpp"

#include <exception>
#include <stdexcept>
#include <utility>

namespace rl::engine {

FallbackEngine::FallbackEngine(std::unique_ptr<Engine> primary, Factory make_fallback)
    : ForwardingEngine(std::move(primary)), m_make_fallback(std::move(make_fallback)) {
    if (!m_make_fallback)
        throw std::invalid_argument("FallbackEngine needs a primary engine and a fallback factory");
}

template <typename Call>
auto FallbackEngine::guarded(Call&& call) -> decltype(call()) {
    if (m_fell_back) return call();
    try {
        return call();
    } catch (const std::exception& e) {
        switch_to_fallback(e.what());
    } catch (...) {
        switch_to_fallback("an unknown error");
    }
    return call();
}

void FallbackEngine::switch_to_fallback(const std::string& why) {
    const std::string from(inner().name());
    // The primary may be in any state after a throw: drop it before building the replacement, so
    // device memory it holds is released first.
    replace_inner(nullptr);
    replace_inner(m_make_fallback());
    m_fell_back = true;
    if (m_snapshot.configured) {
        inner().configure(m_snapshot.experiment);
        // A primary that failed inside configure left no runs to carry over: they start fresh.
        if (!m_snapshot.logits.empty())
            inner().restore(m_snapshot.logits, m_snapshot.running, m_snapshot.steps_done);
    }
    // What happened to the session first: a status line too narrow for the cause still says it.
    m_notice = "Switched to the " + inner().description() + " and carried on from step " +
               std::to_string(m_snapshot.steps_done) + ": the " + from + " engine failed (" + why +
               ").";
}

void FallbackEngine::take_snapshot() {
    const int runs = m_snapshot.experiment.runs;
    m_snapshot.logits.resize(static_cast<std::size_t>(runs));
    for (int r = 0; r < runs; ++r)
        m_snapshot.logits[r] = inner().run_logits(r);
    m_snapshot.running = inner().running_baselines();
    m_snapshot.steps_done = inner().steps_done();
}

void FallbackEngine::configure(const core::Experiment& e) {
    // Recorded first: a primary that fails here is replaced by one configured with e.
    m_snapshot = Snapshot{};
    m_snapshot.experiment = e;
    m_snapshot.configured = true;
    guarded([&] { inner().configure(e); });
    take_snapshot();
}

bool FallbackEngine::update(const core::Experiment& e) {
    const bool restarted = guarded([&] { return inner().update(e); });
    m_snapshot.experiment = e;
    m_snapshot.configured = true;
    take_snapshot();
    return restarted;
}

CloudResult FallbackEngine::gradient_cloud(const CloudRequest& request) {
    return guarded([&] { return inner().gradient_cloud(request); });
}

TrainingAdvance FallbackEngine::advance(int steps) {
    TrainingAdvance result = guarded([&] { return inner().advance(steps); });
    take_snapshot();
    return result;
}

void FallbackEngine::restore(const std::vector<std::vector<double>>& logits,
                             const std::vector<core::RunningBaseline>& running, int steps_done) {
    guarded([&] { inner().restore(logits, running, steps_done); });
    take_snapshot();
}

std::string FallbackEngine::take_notice() {
    std::string from_inner = inner().take_notice();
    std::string out = std::exchange(m_notice, {});
    if (!from_inner.empty()) out = out.empty() ? from_inner : out + " " + from_inner;
    return out;
}

}  // namespace rl::engine
