#include "live/live_model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "core/allocation.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "live/experiment_changes.hpp"
#include "live/history.hpp"
#include "live/policy_top.hpp"
#include "live/snr_curves.hpp"

namespace rl::live {

namespace {

// Small enough that a destructor asking the worker to stop does not wait for a long batch.
constexpr int kStepsPerChunk = 64;

// Credit within rounding of a whole frame counts: ten frames at speed 0.1 make one step batch.
constexpr double kCreditTolerance = 1e-9;

// About twice a second at 60 frames a second keeps the curves following a playing policy without
// stalling the steps. Counted in frames, not read from a clock, so that identical scripted runs
// draw (and export) identical curves.
constexpr int kSnrExactFrames = 30;

bool all_finite(const std::vector<double>& xs) {
    return std::all_of(xs.begin(), xs.end(), [](double x) { return std::isfinite(x); });
}

bool detail_is_finite(const engine::StepDetail& d) {
    return std::isfinite(d.baseline) && std::isfinite(d.spread) && std::isfinite(d.kl) &&
           std::isfinite(d.entropy) && std::isfinite(d.raw_norm) && std::isfinite(d.clip_scale) &&
           all_finite(d.rewards) && all_finite(d.rewards_used) && all_finite(d.baselines) &&
           std::isfinite(d.mean_advantage) && all_finite(d.sampled_weight) &&
           all_finite(d.advantages) && all_finite(d.deterministic) && all_finite(d.gradient) &&
           all_finite(d.true_gradient) && all_finite(d.logits_before) &&
           all_finite(d.logits_after) && all_finite(d.probs_before) && all_finite(d.probs_after);
}

}  // namespace

int histogram_bins(int M) {
    return std::clamp(static_cast<int>(std::sqrt(static_cast<double>(M)) / 4.0), 64, 256);
}

LiveModel::LiveModel(const core::Settings& initial, std::unique_ptr<engine::Engine> training,
                     std::unique_ptr<engine::Engine> probe)
    : m_engine(std::move(training)),
      m_probe(std::move(probe)),
      m_settings(initial),
      m_experiment(core::make_experiment(initial)) {
    m_engine_description = m_engine->description();
    configure_engine();
    m_run0_problem = core::make_run_problem(m_experiment, 0);
    // An episode problem's best J has no closed form in general (a table's optimum may be
    // stochastic): the reward plot draws no line for it.
    m_best_J = m_episodes ? std::nan("") : core::best_expected_reward(m_experiment);
    m_versions.settings = ++m_changes;
    start_over({});
}

bool LiveModel::tick(const TickCommands& commands, const Pace& pace, bool frame,
                     const std::atomic<bool>& stop, std::vector<Message>& messages) {
    if (commands.any()) m_hold = false;
    if (m_hold) return false;
    m_messages = &messages;
    m_commands_failed = false;
    const auto start = std::chrono::steady_clock::now();
    bool changed = commands.any();
    bool in_commands = true;
    // What the tick was doing, for a bare std::bad_alloc that names nothing itself.
    const char* doing =
        commands.replay ? "replaying the loaded session" : "taking the new settings";
    // Whatever the engine did before it threw stays; no work is retried until the next command.
    const auto fail = [&](const std::string& heading, const std::string& what) {
        m_playing = false;
        m_hold = true;
        m_engine_suspect = m_engine_suspect || in_commands;
        m_commands_failed = in_commands;
        post(Level::kError, heading + what);
        changed = true;
    };
    if (frame && m_frames_since_snr_exact < kSnrExactFrames) ++m_frames_since_snr_exact;
    if (frame && m_frames_since_cloud < kEpisodeCloudFrames) ++m_frames_since_cloud;
    try {
        run_commands(commands, stop);
        in_commands = false;
        doing = "training the runs";
        bool moved = false;
        if (commands.steps > 0) {
            moved = advance(commands.steps, false, stop);
        } else if (frame && m_playing) {
            m_frame_credit += pace.speed;
            if (m_frame_credit >= 1.0 - kCreditTolerance) {
                m_frame_credit = std::max(0.0, m_frame_credit - 1.0);
                moved = advance_to_pause(pace, stop);
            }
        }
        changed = changed || moved;
        doing = "drawing the gradient cloud";
        if ((m_cloud_stale && cloud_due()) || m_cloud_drawing) changed = compute_cloud() || changed;
        doing = "computing the exact SNR curves";
        if (m_snr_exact_stale && snr_exact_due()) {
            compute_snr_exact();
            changed = true;
        }
        // A length a tick: the sweep is at the starting policy, so training does not stale it.
        doing = "sweeping the SNR over lengths";
        if (m_episodes && m_episodes->sweep_pending()) {
            m_episodes->advance_sweep();
            m_versions.policy = ++m_changes;
            changed = true;
        } else if (!m_playing && !moved && m_episodes && m_episodes->snr_points_pending()) {
            // Only paused: a playing lesson redraws the cloud every few frames, and each redraw
            // would start the points over after a tick spent on one of them.
            doing = "measuring an SNR point";
            m_episodes->measure_next_snr_point();
            m_versions.policy = ++m_changes;
            changed = true;
        }
        // Measured points refine only while the policy stands still: a moving policy would make
        // every point stale again before the sweep over K is done.
        doing = "measuring an SNR point";
        if (!moved && !m_episodes && m_probe.pending()) {
            m_probe.measure_next(m_experiment, m_probe_request);
            changed = true;
        }
    } catch (const std::bad_alloc& e) {
        fail("Paused: ", core::allocation_message(e, doing));
    } catch (const std::exception& e) {
        fail("Engine error, paused: ", e.what());
    } catch (...) {
        fail("Engine error, paused: ", "an unknown exception");
    }
    // An engine that switched itself (CUDA error -> CPU) kept the runs; only the user is told.
    if (std::string notice = m_engine->take_notice(); !notice.empty()) {
        post(Level::kWarning, std::move(notice));
        m_engine_description = m_engine->description();
        m_engine_switched = true;
        changed = true;
    }
    // The SNR probe's engine fails on its own; its points carry on on the CPU. After the training
    // engine's warning, a second one with the same cause would only repeat it.
    if (std::string notice = m_probe.take_notice(); !notice.empty()) {
        if (m_engine_switched)
            post(Level::kInfo, "The measured SNR points moved to the CPU engine too.");
        else
            post(Level::kWarning, "Measured SNR points: " + notice);
        changed = true;
    }
    m_engine_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    m_messages = nullptr;
    return changed;
}

void LiveModel::run_commands(const TickCommands& commands, const std::atomic<bool>& stop) {
    if (m_engine_suspect && commands.any()) {
        configure_engine();
        m_engine_suspect = false;
        start_over("After the engine error: the runs started over.");
    }
    if (commands.replay) replay(*commands.replay, stop);
    if (commands.settings) apply_settings(*commands.settings);
    if (commands.before) {
        m_before.set(commands.before->first, commands.before->second);
        m_cloud_stale = true;
        m_snr_exact_stale = true;
    }
    if (commands.reset) {
        configure_engine();
        start_over("Reset: back to step 0.");
    }
    if (commands.play) {
        if (*commands.play && !m_playing) m_frame_credit = 0.0;
        m_playing = *commands.play;
    }
}

void LiveModel::apply_settings(const core::Settings& next) {
    if (m_episodes || core::is_episodic(next)) return apply_episode_settings(next);
    core::Experiment e = core::make_experiment(next);
    std::string why = restart_reason(m_experiment, e);
    if (!why.empty()) {
        m_engine->configure(e);
    } else if (m_engine->update(e)) {
        why = "The engine could not keep the runs";
    }
    const bool estimator_changed = !same_estimator(m_experiment, e);
    if (estimator_changed) ++m_estimator_generation;
    // The cloud and the SNR points depend on the estimator and M, not on the learning rate, the
    // step count or the titles.
    const bool cloud_changed = estimator_changed || e.M != m_experiment.M;
    const bool rewards_changed = !same_rewards(m_experiment, e);
    m_settings = next;
    m_experiment = std::move(e);
    if (rewards_changed) {
        m_run0_problem = core::make_run_problem(m_experiment, 0);
        m_best_J = core::best_expected_reward(m_experiment);
    }
    m_versions.settings = ++m_changes;
    if (!why.empty()) {
        start_over(why + ": the runs started over.");
        return;
    }
    extend_timeline();
    if (cloud_changed) {
        m_cloud_stale = true;
        m_probe.invalidate();
    }
}

void LiveModel::extend_timeline() {
    // Two edits between the same steps: only the last one ever ran a step.
    const int step = m_engine->steps_done();
    if (m_timeline.back().step == step) {
        m_timeline.back().settings = m_settings;
    } else {
        m_timeline.push_back({step, m_settings});
    }
    m_versions.timeline = ++m_changes;
}

void LiveModel::restart_with(const core::Settings& next) {
    const core::Settings now = std::exchange(m_settings, next);
    core::Experiment e = core::make_experiment(next);
    std::swap(m_experiment, e);
    try {
        configure_engine();
    } catch (...) {
        m_settings = now;
        m_experiment = std::move(e);
        throw;
    }
    ++m_estimator_generation;
    m_run0_problem = core::make_run_problem(m_experiment, 0);
    // An episode problem's best J has no closed form in general (a table's optimum may be
    // stochastic): the reward plot draws no line for it.
    m_best_J = m_episodes ? std::nan("") : core::best_expected_reward(m_experiment);
    m_versions.settings = ++m_changes;
    start_over({});
}

void LiveModel::replay(const Replay& r, const std::atomic<bool>& stop) {
    // What the original run said on the way (a step limit reached) is old news; errors are not.
    std::vector<Message> on_the_way;
    std::vector<Message>* outer = std::exchange(m_messages, &on_the_way);
    restart_with(r.timeline.front().settings);
    bool complete = true;
    for (std::size_t i = 1; i < r.timeline.size() && complete; ++i) {
        complete = advance_to(r.timeline[i].step, stop);
        if (complete) apply_settings(r.timeline[i].settings);
    }
    complete = complete && advance_to(r.step, stop);
    m_messages = outer;
    for (Message& m : on_the_way)
        if (m.level != Level::kInfo) post(m.level, std::move(m.text));
    m_playing = false;
    const std::string done = std::to_string(m_engine->steps_done());
    post(Level::kInfo, complete ? "Loaded " + r.source + " at step " + done
                                : "Loaded " + r.source + ", but stopped at step " + done + " of " +
                                      std::to_string(r.step));
}

bool LiveModel::advance_to(int step, const std::atomic<bool>& stop) {
    const int missing = step - m_engine->steps_done();
    if (missing > 0) advance(missing, false, stop);
    return m_engine->steps_done() == step;
}

void LiveModel::start_over(const std::string& why) {
    history_clear(m_history, m_episodes ? 0 : m_experiment.tracked_actions.size());
    m_versions.history_epoch = ++m_changes;
    m_timeline = {{0, m_settings}};
    m_versions.timeline = ++m_changes;
    m_latest.reset();
    m_detail_valid = false;
    m_versions.detail = ++m_changes;
    m_frame_credit = 0.0;
    policy_moved();
    if (!why.empty()) post(Level::kInfo, why);
}

bool LiveModel::advance_to_pause(const Pace& pace, const std::atomic<bool>& stop) {
    const int done = m_engine->steps_done();
    const auto next = std::upper_bound(pace.pause_at.begin(), pace.pause_at.end(), done);
    if (next == pace.pause_at.end()) return advance(pace.steps_per_frame, true, stop);
    const bool moved = advance(std::min(pace.steps_per_frame, *next - done), true, stop);
    if (m_engine->steps_done() == *next && m_playing) {
        m_playing = false;
        post(Level::kInfo, "Paused at step " + std::to_string(*next) +
                               ", where this lesson step says to look; press Play to go on.");
    }
    return moved;
}

bool LiveModel::advance(int steps, bool capped_at_session_end, const std::atomic<bool>& stop) {
    const int before = m_engine->steps_done();
    const int end = m_settings.steps;
    if (capped_at_session_end && before < end) steps = std::min(steps, end - before);
    int done = 0;
    while (done < steps && !stop.load(std::memory_order_relaxed)) {
        if (m_episodes) {
            if (!advance_episode_chunk(std::min(steps - done, kStepsPerChunk))) break;
            done = m_engine->steps_done() - before;
            continue;
        }
        engine::TrainingAdvance a = m_engine->advance(std::min(steps - done, kStepsPerChunk));
        for (const engine::StepSummary& s : a.steps)
            history_append(m_history, s);
        if (!a.steps.empty()) m_latest = std::move(a.steps.back());
        done += static_cast<int>(a.steps.size());
        // Run 0's detail is of the last step asked for; a divergence before it leaves it empty,
        // and so does run 0's own divergence when the failed update left numbers that are not
        // finite (the panel must not show them; the message says what happened).
        m_detail_valid =
            a.run0.step > 0 && a.run0.step == m_engine->steps_done() && detail_is_finite(a.run0);
        if (m_detail_valid) {
            m_detail = std::move(a.run0);
            m_detail_generation = m_estimator_generation;
        }
        if (a.diverged) {
            m_playing = false;
            post(Level::kError, a.divergence + "; paused at the last good state.");
            break;
        }
        // An engine that makes no progress without saying why would otherwise stall silently.
        if (a.steps.empty()) {
            m_playing = false;
            post(Level::kError, "The engine stopped advancing at step " +
                                    std::to_string(m_engine->steps_done()) + "; paused.");
            break;
        }
    }
    if (done == 0) return false;
    m_versions.detail = ++m_changes;
    if (before < end && m_engine->steps_done() >= end) {
        m_playing = false;
        post(Level::kInfo,
             "Reached the session's " + std::to_string(end) + " steps; press Play to continue.");
    }
    policy_moved();
    return true;
}

void LiveModel::policy_moved() {
    if (m_episodes) {
        m_versions.policy = ++m_changes;
        m_cloud_stale = true;
        return;
    }
    m_run0_probs = core::softmax(m_engine->run_logits(0));
    const std::vector<std::uint32_t>& tracked = m_experiment.tracked_actions;
    m_median_probs.resize(tracked.size());
    m_p10_probs.resize(tracked.size());
    m_p90_probs.resize(tracked.size());
    if (m_latest) {
        for (std::size_t i = 0; i < tracked.size(); ++i) {
            m_p10_probs[i] = m_latest->action_probs[i].p10;
            m_median_probs[i] = m_latest->action_probs[i].p50;
            m_p90_probs[i] = m_latest->action_probs[i].p90;
        }
    } else {
        // Before any step every run is at the initial policy: no spread.
        const std::vector<double> initial = core::softmax(m_experiment.init_logits);
        for (std::size_t i = 0; i < tracked.size(); ++i)
            m_p10_probs[i] = m_median_probs[i] = m_p90_probs[i] = initial[tracked[i]];
    }
    m_versions.policy = ++m_changes;
    m_cloud_stale = true;
    m_probe.invalidate();
}

bool LiveModel::compute_cloud() {
    if (m_episodes) return compute_episode_cloud();
    engine::CloudRequest request;
    if (m_detail_valid) {
        request.logits = m_detail.logits_before;
        request.step = static_cast<std::uint32_t>(m_detail.step);
    } else {
        request.logits = m_engine->run_logits(0);
        request.step = static_cast<std::uint32_t>(m_engine->steps_done());
    }
    request.run = 0;
    request.K = m_experiment.estimator.K;
    request.M = m_experiment.M;
    request.running_value = m_engine->run_running_baseline(0);
    request.histogram_bins = histogram_bins(request.M);
    if (m_cloud_valid) request.axis_y_hint = m_cloud.axis_y;
    m_cloud = m_engine->gradient_cloud(request);
    m_cloud_valid = true;
    m_cloud_step = static_cast<int>(request.step);

    m_highlight_valid = m_detail_valid && m_detail_generation == m_estimator_generation;
    if (m_highlight_valid) {
        const core::PolicyPoint pt = core::make_policy_point(
            request.logits, m_experiment.parameterization, m_run0_problem.rbar, m_run0_problem.var,
            m_experiment.ref_log_probs, m_experiment.estimator);
        m_highlight_x = core::dot_dim(pt, m_detail.gradient, m_cloud.axis_x);
        m_highlight_y = core::dot_dim(pt, m_detail.gradient, m_cloud.axis_y);
    }
    // Once per cloud, not once per results buffer that catches up with it.
    m_strip = cloud_strip(m_cloud);
    m_piles = cloud_piles(m_cloud);
    name_piles(m_piles,
               core::make_policy_point(request.logits, m_experiment.parameterization,
                                       m_run0_problem.rbar, m_run0_problem.var,
                                       m_experiment.ref_log_probs, m_experiment.estimator),
               m_experiment.estimator, request.running_value, m_cloud);
    m_before_view = m_before.ellipse(request.logits, m_cloud, m_experiment);
    m_probe_request = {std::move(request.logits), request.running_value, request.step};
    m_versions.cloud = ++m_changes;
    m_cloud_stale = false;
    m_snr_exact_stale = true;
    return true;
}

bool LiveModel::snr_exact_due() const {
    // Paused, a stale curve would be what the class reads: always redo it at once.
    return !m_playing || m_frames_since_snr_exact >= kSnrExactFrames;
}

void LiveModel::compute_snr_exact() {
    if (m_episodes) return compute_episode_snr_exact();
    const core::PolicyPoint pt = core::make_policy_point(
        m_probe_request.logits, m_experiment.parameterization, m_run0_problem.rbar,
        m_run0_problem.var, m_experiment.ref_log_probs, m_experiment.estimator);
    m_snr_exact = exact_snr_curves(pt, m_experiment.estimator);
    m_before_snr = m_before.snr_curve(m_probe_request.logits, m_experiment);
    m_frames_since_snr_exact = 0;
    m_snr_exact_stale = false;
    m_versions.snr_exact = ++m_changes;
}

void LiveModel::post(Level level, std::string text) {
    if (m_messages) m_messages->push_back({level, std::move(text)});
}

void LiveModel::fill(Results& r, HeldVersions& held) const {
    if (held.settings != m_versions.settings) {
        r.settings = m_settings;
        r.tracked_actions =
            m_episodes ? std::vector<std::uint32_t>{} : m_experiment.tracked_actions;
    }
    if (held.timeline != m_versions.timeline) r.timeline = m_timeline;
    r.steps_done = m_engine->steps_done();
    r.playing = m_playing;
    if (held.history_epoch != m_versions.history_epoch) {
        r.history = m_history;
    } else {
        history_catch_up(r.history, m_history);
    }
    r.best_J = m_best_J;
    if (held.policy != m_versions.policy) {
        r.episodes = {};
        if (m_episodes) m_episodes->fill(r.episodes);
        r.run0_probs = m_run0_probs;
        r.median_probs = m_median_probs;
        r.p10_probs = m_p10_probs;
        r.p90_probs = m_p90_probs;
    }
    if (held.cloud != m_versions.cloud) {
        r.cloud_valid = m_cloud_valid;
        r.cloud_step = m_cloud_step;
        r.cloud = m_cloud;
        r.strip = m_strip;
        r.piles = m_piles;
        r.highlight_valid = m_highlight_valid;
        r.highlight_x = m_highlight_x;
        r.highlight_y = m_highlight_y;
    }
    if (held.snr_exact != m_versions.snr_exact) r.snr_exact = m_snr_exact;
    if (held.cloud != m_versions.cloud || held.snr_exact != m_versions.snr_exact) {
        r.before = m_before_view;
        r.before.snr = m_before_snr;
    }
    if (held.policy != m_versions.policy || held.history_epoch != m_versions.history_epoch)
        fill_policy_top(m_experiment.n, r.median_probs, r.history, r);
    if (held.detail != m_versions.detail) {
        r.detail_valid = m_detail_valid;
        r.detail = m_detail;
    }
    if (held.snr_measured != m_probe.version()) r.snr_measured = m_probe.points();
    r.engine_description = m_engine_description;
    r.engine_ms = m_engine_ms;
    held = m_versions;
    held.snr_measured = m_probe.version();
}

}  // namespace rl::live
