#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/experiment.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "io/session_file.hpp"
#include "live/before_view.hpp"
#include "live/episode_live.hpp"
#include "live/runner.hpp"
#include "live/snr_probe.hpp"

// The live experiment as a state machine, one tick at a time, with no threads or locks of its
// own: Runner runs it on its worker thread and publishes what it fills in.
namespace rl::live {

// A saved run to redo: the timeline's settings in turn, each from its step, up to `step`.
struct Replay {
    std::vector<io::SettingsChange> timeline;  // checked: valid, steps increasing, no restarts
    int step = 0;
    std::string source;  // for the message
};

// What the controls asked for since the last tick.
struct TickCommands {
    std::optional<Replay> replay;            // runs before the other commands
    std::optional<core::Settings> settings;  // already validated
    bool reset = false;
    std::optional<bool> play;
    int steps = 0;  // single steps asked for
    // The lesson step before the one shown (Runner::set_before); the inner nullopt clears it.
    std::optional<std::pair<std::optional<core::Settings>, std::string>> before;

    bool any() const { return replay || settings || reset || play || steps > 0 || before; }
};

// Which version of each part a published Results holds, so filling it copies only what changed.
// history_epoch changes only when the history starts over; between those, a held history is
// brought up to date by catching up.
struct HeldVersions {
    std::uint64_t settings = 0, history_epoch = 0, timeline = 0, policy = 0, cloud = 0, detail = 0,
                  snr_exact = 0, snr_measured = 0;
};

// Frames between episode clouds while playing: three clouds a second at 60 frames a second (six
// took as much of two cores as the window itself with one-bad-token). Counted in frames, as the
// SNR curves are, so identical scripted runs draw identical clouds.
inline constexpr int kEpisodeCloudFrames = 20;
// While playing, an episode cloud is drawn over this many ticks, a slice of its batches each, so
// that no frame waits for all of it; a problem's first cloud, and any while paused, at once.
inline constexpr int kEpisodeCloudSlices = 16;

// The cloud's density bins a side: 64 resolve the default cloud; larger clouds get finer bins, up
// to 256.
int histogram_bins(int M);

class LiveModel {
  public:
    LiveModel(const core::Settings& initial, std::unique_ptr<engine::Engine> training,
              std::unique_ptr<engine::Engine> probe);

    // One tick: the commands, then (on a frame tick while playing) the steps the pace asks for,
    // then whatever the new state needs recomputed. Never throws: an engine error pauses and
    // becomes a message. Returns whether there is anything new to publish.
    bool tick(const TickCommands& commands, const Pace& pace, bool frame,
              const std::atomic<bool>& stop, std::vector<Message>& messages);

    // Brings `results`, which holds the parts listed in `held`, up to the current state.
    void fill(Results& results, HeldVersions& held) const;

    bool playing() const { return m_playing; }
    // The settings the runs go on under; after a failed command, still the earlier ones.
    const core::Settings& settings() const { return m_settings; }
    // Whether the last tick's commands failed (an engine error or out of memory): the settings
    // or session they carried were not taken.
    bool commands_failed() const { return m_commands_failed; }

  private:
    void run_commands(const TickCommands& commands, const std::atomic<bool>& stop);
    // Configures the engine for m_settings and m_experiment: a bandit, or episodes (which
    // replaces m_episodes).
    void configure_engine();
    void apply_settings(const core::Settings& next);
    // An edit that either side of which is an episode problem.
    void apply_episode_settings(const core::Settings& next);
    // After an edit the runs went on under: the timeline takes the settings at this step.
    void extend_timeline();
    // advance()'s chunk for episodes: appends its steps; whether it made any.
    bool advance_episode_chunk(int steps);
    void replay(const Replay& replay, const std::atomic<bool>& stop);
    // New settings with the runs started over, whatever changed.
    void restart_with(const core::Settings& next);
    void start_over(const std::string& why);
    // Advances to `step` (no further than asked); whether it got there.
    bool advance_to(int step, const std::atomic<bool>& stop);
    // The pace's steps for one frame, stopping (and pausing) at the next pause point.
    bool advance_to_pause(const Pace& pace, const std::atomic<bool>& stop);
    // Returns whether the policy moved.
    bool advance(int steps, bool capped_at_session_end, const std::atomic<bool>& stop);
    void policy_moved();
    // Whether a new cloud is in the results (an episode cloud drawn in slices is not, until its
    // last one).
    bool compute_cloud();
    bool compute_episode_cloud();
    // An episode cloud (M x K episodes, then the widest direction) costs tens of milliseconds
    // on two cores, so while playing it is redone at most every kEpisodeCloudFrames frames, in
    // kEpisodeCloudSlices slices; a bandit's, and any cloud while paused, at once.
    bool cloud_due() const;
    // The exact curves at the cloud's policy: one O(N) pass per baseline (a few milliseconds at
    // N = 50,000); while playing, redone at most every kSnrExactFrames frames.
    void compute_snr_exact();
    void compute_episode_snr_exact();
    bool snr_exact_due() const;
    void post(Level level, std::string text);

    std::unique_ptr<engine::Engine> m_engine;
    std::unique_ptr<EpisodeLive> m_episodes;  // non-null while the settings are episodes
    SnrProbe m_probe;
    std::string m_engine_description;
    bool m_engine_switched = false;              // the training engine fell back to the CPU
    std::vector<Message>* m_messages = nullptr;  // the running tick's

    core::Settings m_settings;
    std::vector<io::SettingsChange> m_timeline;  // ends with m_session
    core::Experiment m_experiment;
    core::RunProblem m_run0_problem;  // for the exact curves, which need run 0's rewards
    double m_best_J = 0.0;
    // Bumps when an edit changes the estimator's distribution (not the learning rate).
    std::uint64_t m_estimator_generation = 0;

    bool m_playing = false;
    double m_frame_credit = 0.0;  // speed accumulated over frames; a step batch costs 1
    bool m_cloud_stale = true;
    bool m_hold = false;             // after an engine error: no work until the next command
    bool m_engine_suspect = false;   // an edit failed half-way: reconfigure before going on
    bool m_commands_failed = false;  // in the last tick

    History m_history;
    std::optional<engine::StepSummary> m_latest;
    std::vector<double> m_run0_probs, m_median_probs, m_p10_probs, m_p90_probs;
    bool m_detail_valid = false;
    engine::StepDetail m_detail;
    std::uint64_t m_detail_generation = 0;  // m_estimator_generation when the step was taken

    bool m_cloud_valid = false;
    int m_cloud_step = 0;
    engine::CloudResult m_cloud;
    bool m_highlight_valid = false;
    double m_highlight_x = 0.0, m_highlight_y = 0.0;
    SnrProbeRequest m_probe_request;
    std::vector<SnrCurve> m_snr_exact;
    CloudStrip m_strip;  // the cloud's views, derived with it
    CloudPiles m_piles;
    BeforeSettings m_before;
    BeforeView m_before_view;  // its ellipse, redone with the cloud (no curve)
    SnrCurve m_before_snr;     // its curve, redone with the SNR curves
    bool m_snr_exact_stale = true;
    int m_frames_since_snr_exact = 1 << 30;  // the first curves are due at once
    int m_frames_since_cloud = 1 << 30;
    bool m_cloud_drawing = false;  // an episode cloud started on the engine and not finished
    bool m_cloud_at_once = true;   // the next episode cloud replaces one of another problem or M
    engine::EpisodeCloudRequest m_cloud_request;  // the one drawing
    double m_engine_ms = 0.0;

    std::uint64_t m_changes = 0;  // source of fresh versions
    HeldVersions m_versions;      // the current version of each part
};

}  // namespace rl::live
