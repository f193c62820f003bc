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
    m_on_episodes = false;
    m_episode_engine.reset();
    // Recorded first: a primary that fails here is replaced by one configured with e.
    m_snapshot = Snapshot{};
    m_snapshot.experiment = e;
    m_snapshot.configured = true;
    guarded([&] { inner().configure(e); });
    take_snapshot();
}

bool FallbackEngine::update(const core::Experiment& e) {
    if (m_on_episodes) {
        configure(e);
        return true;
    }
    const bool restarted = guarded([&] { return inner().update(e); });
    m_snapshot.experiment = e;
    m_snapshot.configured = true;
    take_snapshot();
    return restarted;
}

void FallbackEngine::require_bandit(const char* call) const {
    if (m_on_episodes) throw bandit_call_on_episodes(call);
}

CloudResult FallbackEngine::gradient_cloud(const CloudRequest& request) {
    require_bandit("gradient_cloud");
    return guarded([&] { return inner().gradient_cloud(request); });
}

TrainingAdvance FallbackEngine::advance(int steps) {
    require_bandit("advance");
    TrainingAdvance result = guarded([&] { return inner().advance(steps); });
    take_snapshot();
    return result;
}

void FallbackEngine::restore(const std::vector<std::vector<double>>& logits,
                             const std::vector<core::RunningBaseline>& running, int steps_done) {
    guarded([&] { inner().restore(logits, running, steps_done); });
    take_snapshot();
}

Engine& FallbackEngine::episodes() const {
    if (!m_on_episodes) throw std::logic_error("no episode problem is configured");
    return m_episode_engine ? *m_episode_engine : inner();
}

EpisodeStart FallbackEngine::configure_episodes(const core::Settings& s) {
    const std::string refusal = inner().episode_refusal();
    if (refusal.empty()) {
        EpisodeStart start = inner().configure_episodes(s);
        m_episode_engine.reset();
        m_on_episodes = true;
        return start;
    }
    std::unique_ptr<Engine> engine =
        m_episode_engine ? std::move(m_episode_engine) : m_make_fallback();
    // Settings it refuses leave what was held as it was.
    EpisodeStart start;
    try {
        start = engine->configure_episodes(s);
    } catch (...) {
        if (m_on_episodes) m_episode_engine = std::move(engine);
        throw;
    }
    if (!m_on_episodes)
        m_notice = "Episodes run on the " + engine->description() + ": " + refusal + ".";
    m_episode_engine = std::move(engine);
    m_on_episodes = true;
    return start;
}

CloudResult FallbackEngine::episode_cloud(const EpisodeCloudRequest& request) {
    return episodes().episode_cloud(request);
}

void FallbackEngine::start_episode_cloud(const EpisodeCloudRequest& request) {
    episodes().start_episode_cloud(request);
}

std::optional<CloudResult> FallbackEngine::continue_episode_cloud(int batches) {
    return episodes().continue_episode_cloud(batches);
}

EpisodeAdvance FallbackEngine::advance_episodes(int steps) {
    return episodes().advance_episodes(steps);
}

int FallbackEngine::steps_done() const {
    return m_on_episodes ? episodes().steps_done() : inner().steps_done();
}

std::vector<double> FallbackEngine::run_logits(int run) const {
    return m_on_episodes ? episodes().run_logits(run) : inner().run_logits(run);
}

std::string FallbackEngine::take_notice() {
    std::string from_inner = inner().take_notice();
    std::string out = std::exchange(m_notice, {});
    if (!from_inner.empty()) out = out.empty() ? from_inner : out + " " + from_inner;
    return out;
}

}  // namespace rl::engine
