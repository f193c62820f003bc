#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/estimator.hpp"
#include "core/memory_estimate.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "io/session_file.hpp"
#include "live/cloud_piles.hpp"
#include "live/cloud_strip.hpp"
#include "live/episode_view.hpp"
#include "live/snr_point.hpp"

// The live experiment behind the window: controls -> session -> engine -> results. The engine
// works on its own thread, one tick per UI frame, so the window never waits for it; the GUI reads
// the published results and draws them, and never computes a statistic itself.
namespace rl::live {

enum class Level { kInfo, kWarning, kError };

struct Message {
    Level level = Level::kInfo;
    std::string text;
};

// Per-step summaries across runs, thinned to a fixed number of points: when full, every other
// point is dropped and the stride doubles, so a 30-minute run uses no more memory than a short one.
// With many tracked actions (a vocabulary) it keeps fewer points (core::history_point_capacity).
struct History {
    int stride = 1;                          // steps between kept points
    int capacity = core::kMaxHistoryPoints;  // points kept at most, set by history_clear
    std::vector<double> step;
    std::vector<double> j_p10, j_p50, j_p90;
    std::vector<double> best_share;  // runs whose most likely action is a best action
    // [tracked action][point]
    std::vector<std::vector<double>> prob_p10, prob_p50, prob_p90;
};

inline constexpr int kHistoryCapacity = core::kMaxHistoryPoints;

// Exact signal-to-noise against K for one baseline, at the cloud's policy.
struct SnrCurve {
    core::BaselineKind baseline = core::BaselineKind::kNone;
    std::vector<double> K, snr;  // empty when there is no closed form
    std::string reason;          // why there is none
    // The exact noise is zero up to rounding (b* with two actions): the SNR is infinite, so the
    // curve is empty and the plot says so instead of drawing a huge number that squashes the rest.
    bool noise_free = false;
};

inline constexpr int kSnrMaxK = 4096;

// The settings a lesson step came from (the step before it), seen at the cloud's policy: their
// exact ellipse on this cloud's axes and their SNR curve, for a faint before/after ghost, and axes
// that fit both ellipses, which the gradient plot holds while the step is shown so a change in
// spread reads as a change in size.
struct BeforeView {
    bool valid = false;  // there are such settings, with the same actions, and a closed form
    std::string label;   // "step 2", what the ghost is called
    double mean_x = 0.0, mean_y = 0.0, var_x = 0.0, var_y = 0.0, cov_xy = 0.0;
    double x_min = 0.0, x_max = 0.0, y_min = 0.0, y_max = 0.0;  // the held axes
    SnrCurve snr;  // their baseline's curve (empty when it has none)
    int K = 1;     // their samples per step, where their SNR is read off `snr`
};

struct Results {
    std::uint64_t version = 0;  // bumps with every publish
    core::Settings settings;    // the settings these results belong to
    // Every setting the runs went through since they last started over, oldest first; the last
    // entry is `session`. Saving it is what lets a loaded file reproduce the run.
    std::vector<io::SettingsChange> timeline;
    std::vector<std::uint32_t> tracked_actions;
    int steps_done = 0;
    bool playing = false;

    History history;
    double best_J = 0.0;  // best possible expected reward (mean over runs of each run's best arm)
    std::vector<double> run0_probs;    // run 0's current policy, every action
    std::vector<double> median_probs;  // per tracked action, at the latest step
    std::vector<double> p10_probs, p90_probs;
    // More actions than a plot can name (vocabulary mode): the policy plots show these indices
    // into tracked_actions (most likely now first) and the rest as one summed series, which is
    // 1 minus the shown medians at each history point (rest_p50) and now (rest_now). Empty
    // when every action is drawn.
    std::vector<std::size_t> policy_top;
    std::vector<double> rest_p50;
    double rest_now = 0.0;

    // The cloud at the policy run 0's latest step sampled from (the initial policy before any).
    bool cloud_valid = false;
    int cloud_step = 0;
    engine::CloudResult cloud;
    CloudStrip strip;  // the cloud as a histogram when its gradient space is one-dimensional
    CloudPiles piles;  // the cloud's distinct estimates when there are only a few
    BeforeView before;
    // Run 0's latest estimate projected on the cloud's axes; false when the settings changed
    // since that step, so the estimate no longer belongs to this cloud.
    bool highlight_valid = false;
    double highlight_x = 0.0, highlight_y = 0.0;

    bool detail_valid = false;
    engine::StepDetail detail;

    std::vector<SnrCurve> snr_exact;  // every baseline, K = 1 .. kSnrMaxK
    std::vector<SnrPoint> snr_measured;

    // An episode problem's own views; `active` false for a bandit. With episodes the bandit's
    // policy fields (tracked_actions, run0_probs, median_probs, history's probabilities) are
    // empty and the step detail is not valid.
    EpisodeResults episodes;

    std::string engine_description;
    double engine_ms = 0.0;  // engine time of the last tick
};

// How fast a playing runner goes: steps_per_frame steps on a frame that takes steps, and with speed
// in (0, 1] only that share of frames take steps (slow motion).
struct Pace {
    int steps_per_frame = 1;
    double speed = 1.0;
    // Playing pauses on reaching each of these steps (ascending), where a lesson step's text
    // says what to look at.
    std::vector<int> pause_at{};
};

struct RunnerOptions {
    std::string engine = "auto";
    int threads = 0;
    // Settings whose estimated memory (core::estimate_memory) exceeds this many bytes are refused;
    // 0: half this machine's memory (--memory-limit changes it).
    std::uint64_t memory_limit = 0;
};

class Runner {
  public:
    // Throws std::invalid_argument for an invalid session, one that needs more memory than the
    // limit, or an unknown/unavailable engine.
    Runner(const core::Settings& initial, const RunnerOptions& options);
    // With engines made elsewhere (tests wrap them to inject failures). `probe` measures the SNR
    // points, so it must be a separate instance; engine_message becomes the first Info message.
    // memory_limit as in RunnerOptions.
    Runner(const core::Settings& initial, std::unique_ptr<engine::Engine> training,
           std::unique_ptr<engine::Engine> probe, const std::string& engine_message = {},
           std::uint64_t memory_limit = 0);
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    // Applies edited settings to the running experiment. Returns "" when accepted; otherwise one
    // line naming the field and the reason, or the memory the settings need and the limit, and
    // nothing changes. When the change cannot keep the
    // runs (the number of actions, runs or the parameterisation changed, or the initial policy
    // changed) the experiment starts over and a message says so.
    std::string apply(const core::Settings& edited);
    core::Settings settings() const;  // the last accepted settings
    // Bumps when the worker could not take accepted settings or a load (out of memory in the
    // engine), so settings() went back to those the runs go on under.
    std::uint64_t settings_reverts() const;

    // Replays a document: the runs start over under its first settings and advance to each
    // change's step, apply it, and so on up to the document's step, paused, so the results are
    // those of the run that was saved. Returns "" when accepted (the work happens on the worker,
    // which posts "Loaded SOURCE at step N"); otherwise "SOURCE: field: reason" (or the memory
    // its settings need and the limit) and nothing changes. The lesson fields are the caller's.
    std::string load(const io::SessionFile& document, std::string_view source);
    // The published state as a document: settings, steps done and their history (no lesson).
    io::SessionFile snapshot() const;
    // Results::timeline of the latest results.
    std::vector<io::SettingsChange> timeline() const;

    void set_playing(bool playing);
    bool playing() const;
    void step_once();  // pauses and advances one step
    void reset();      // back to step 0 with the current settings
    // The settings of the lesson step before the one shown (validated), evaluated at each cloud's
    // policy for Results::before; nullopt: none. `label` names them ("step 2").
    void set_before(std::optional<core::Settings> settings, std::string label);
    // Each frame advances steps_per_frame steps; speed in (0, 1] advances only on that share of
    // frames, for slow motion in class.
    void set_pace(int steps_per_frame, double speed);
    void set_pause_points(std::vector<int> steps);
    Pace pace() const;

    // Once per UI frame: lets the worker start its next tick, unless it is still busy.
    void frame();
    // Blocks until the worker has done everything asked of it so far (tests, screenshots).
    void wait_idle();
    // The same with a limit; false when the worker was still busy when it ran out.
    bool wait_idle_for(std::chrono::milliseconds limit);

    // The latest published results. The pointer keeps them as they are for as long as it is
    // held, with no lock held: the worker publishes newer ones into other buffers meanwhile, so a
    // frame can draw from its own and run any action, this runner's included, while it does.
    std::shared_ptr<const Results> results() const;
    // Runs `reader` on results(); no lock is held while it runs.
    void read(const std::function<void(const Results&)>& reader) const;
    // Messages since the last call, oldest first.
    std::vector<Message> take_messages();

  private:
    struct Impl;
    // load() once a std::bad_alloc has somewhere to go; `where` is "SOURCE: ".
    std::string load_checked(const io::SessionFile& document, std::string_view source,
                             const std::string& where);
    // The constructors' common end; a warning when the engine choice already fell back.
    void start(const std::string& engine_message, Level level = Level::kInfo);

    std::unique_ptr<Impl> m_impl;
};

}  // namespace rl::live
