#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/panels/message_log.hpp"
#include "core/settings.hpp"
#include "live/runner.hpp"

// Compare mode: a second live session, configuration B, on A's problem and seed with estimator
// settings of its own. A's controls stay in charge of everything the two share: the edits A
// accepts are passed on to B, and A's transport (play, step, reset, pace) drives both, so the two
// take the same steps and differ only in their estimator.
namespace rl::app {

class ControlsPanel;

class CompareMode {
  public:
    explicit CompareMode(live::RunnerOptions options);
    ~CompareMode();
    CompareMode(const CompareMode&) = delete;
    CompareMode& operator=(const CompareMode&) = delete;

    bool active() const { return m_b != nullptr; }

    // Starts B with `b` (A's problem, B's estimator). A starts over with it, so both begin at
    // step 0 on the same seed. On failure logs why and stays off.
    void start(live::Runner& a, ControlsPanel& controls, const core::Settings& b, MessageLog& log);
    void stop(ControlsPanel& controls, MessageLog& log);
    // The menu item and its key: off, or on with the default B against A's estimator.
    void toggle(live::Runner& a, ControlsPanel& controls, MessageLog& log);

    // Before the frame's tick: passes on what A's controls changed since the last frame, so B
    // takes the change in the same tick as A.
    void follow(live::Runner& a, ControlsPanel& controls, MessageLog& log);
    // Schedules this frame's tick of A and, when comparing, of B, in step (live::tick_pair).
    void tick(live::Runner& a, bool lockstep);
    // B's messages, marked as B's.
    void take_messages(MessageLog& log, double now);

    // B's latest results; null when not comparing.
    std::shared_ptr<const live::Results> results() const;

    // The estimator section's title for A: "Estimator", or "Estimator A: none" when comparing.
    static std::string a_title(const live::Results& a, const live::Results* b);
    // B's estimator section, drawn inside the controls panel.
    void draw_controls(live::Runner& a, const live::Results& ra, const live::Results& rb,
                       MessageLog& log);

  private:
    live::RunnerOptions m_options;
    std::unique_ptr<live::Runner> m_b;
    core::EstimatorSettings m_draft;  // B's, as its section edits it
    std::uint64_t m_seen_edits = 0;
};

}  // namespace rl::app
