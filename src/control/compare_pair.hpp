#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "io/session_file.hpp"
#include "live/runner.hpp"

// Runner A, and in compare mode runner B beside it on A's problem and seed with an estimator of its
// own. Every edit goes through here, so B always runs A's problem: an edit A accepts is passed on
// to B (keeping B's estimator) in the same call. The Transport drives both runners. No ImGui, no
// GL: the window, the soak and the tests drive this same class.
namespace rl::control {

class ComparePair {
  public:
    // Throws std::invalid_argument when A cannot run (invalid settings, unknown engine).
    ComparePair(const core::Settings& a, const live::RunnerOptions& options);
    // With A made elsewhere (a replayed session, an engine under test); B's runners use `options`.
    ComparePair(std::unique_ptr<live::Runner> a, const live::RunnerOptions& options);
    ~ComparePair();
    ComparePair(const ComparePair&) = delete;
    ComparePair& operator=(const ComparePair&) = delete;

    live::Runner& a() { return *m_a; }
    const live::Runner& a() const { return *m_a; }
    // B, or null when not comparing.
    live::Runner* b() { return m_b.get(); }
    bool comparing() const { return m_b != nullptr; }
    // A's latest results; B's, or null when not comparing.
    std::shared_ptr<const live::Results> results_a() const { return m_a->results(); }
    std::shared_ptr<const live::Results> results_b() const;
    core::Settings settings_a() const { return m_a->settings(); }
    // B's settings: A's problem with B's estimator. Only while comparing.
    core::Settings settings_b() const;

    // A's edit, "" when accepted. B takes the same settings with its own estimator; if B cannot
    // (its estimator does not fit the new problem), compare mode ends and the message says why.
    std::string apply(const core::Settings& edited);
    // B's estimator; "" when accepted, else why (B keeps its previous one).
    std::string apply_b(const core::EstimatorSettings& estimator);

    // Starts B with `b` (A's problem, B's estimator): both start over from step 0 on the same
    // seed, B at A's pace and playing as A plays. "" when B runs, else why not (A is untouched).
    std::string start_b(const core::Settings& b);
    // B beside A's estimator: leave-one-out, or no baseline when A already uses it.
    std::string start_default_b();
    void stop_b();

    // A replays `file` (B would have nothing to replay beside it, so compare mode ends, but only
    // once the file was accepted). "" or "SOURCE: field: reason", with nothing changed.
    std::string load(const io::SessionFile& file, const std::string& source);

    // Messages of both runners since the last call, B's marked "B: ", and the pair's own.
    std::vector<live::Message> take_messages();

  private:
    void post(live::Level level, std::string text);

    live::RunnerOptions m_options;
    std::unique_ptr<live::Runner> m_a;
    std::unique_ptr<live::Runner> m_b;
    std::vector<live::Message> m_messages;
};

}  // namespace rl::control
