#include "live/runner.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "core/allocation.hpp"
#include "core/experiment.hpp"
#include "core/memory_estimate.hpp"
#include "live/episode_live.hpp"
#include "live/experiment_changes.hpp"
#include "live/live_model.hpp"
#include "live/published_results.hpp"
#include "live/resident_memory.hpp"

namespace rl::live {

namespace {

// A window that nobody reads from must not grow without bound.
constexpr std::size_t kMaxQueuedMessages = 100;
constexpr int kMaxStepsPerFrame = 100000;
constexpr double kMinSpeed = 1e-3;

// What a runner takes: valid settings whose estimated memory is within the limit. Every way in
// (the first settings, an edit, a load, a preset, a lesson step) goes through refusal().
struct Budget {
    core::MemoryLimit limit;
    int threads = 0;

    std::string refusal(const core::Settings& s) const {
        if (std::string error = core::validate(s); !error.empty()) return error;
        return core::check_memory(s, {core::RunMode::kWindow, threads}, limit);
    }
};

Budget budget_for(std::uint64_t memory_limit, int threads) {
    return {core::memory_limit_from_option(memory_limit), threads};
}

core::Settings admitted(const core::Settings& s, const Budget& budget) {
    if (std::string error = budget.refusal(s); !error.empty()) throw std::invalid_argument(error);
    return s;
}

// A timeline never holds a change that restarts the runs (start_over begins a new one), so a
// document with one was not saved from a run and cannot be replayed as one.
std::string restart_in(const std::vector<io::SettingsChange>& timeline) {
    for (std::size_t i = 1; i < timeline.size(); ++i) {
        const core::Settings& a = timeline[i - 1].settings;
        const core::Settings& b = timeline[i].settings;
        const std::string why =
            core::is_episodic(a) || core::is_episodic(b)
                ? episode_restart_reason(a, b)
                : restart_reason(core::make_experiment(a), core::make_experiment(b));
        if (why.empty()) continue;
        const std::string field = i + 1 < timeline.size()
                                      ? "history[" + std::to_string(i) + "].settings"
                                      : std::string("settings");
        return field + ": the runs cannot go on under these settings (" + why + ")";
    }
    return {};
}

}  // namespace

struct Runner::Impl {
    Impl(const core::Settings& initial, std::unique_ptr<engine::Engine> training,
         std::unique_ptr<engine::Engine> probe, const Budget& budget)
        : budget(budget),
          accepted(initial),
          model(initial, std::move(training), std::move(probe)) {}

    void worker_loop();
    void run_tick(bool frame);
    bool commands_pending() const;

    const Budget budget;

    // Commands, under command_mutex.
    mutable std::mutex command_mutex;
    core::Settings accepted;
    std::uint64_t settings_reverts = 0;
    TickCommands pending;
    Pace pace;
    bool worker_playing = false;  // as of the worker's last tick
    std::deque<Message> messages;

    // Scheduling, under work_mutex.
    std::mutex work_mutex;
    std::condition_variable work_cv, idle_cv;
    bool tick_requested = false;
    bool frame_tick = false;
    bool busy = false;
    std::atomic<bool> stop{false};

    // What results() hands out; readers keep them without a lock.
    PublishedResults published;

    // The worker's own.
    LiveModel model;
    std::uint64_t publishes = 0;
    std::uint64_t released_epoch = 0;  // the history epoch free memory was last released for

    std::thread worker;
};

void Runner::Impl::worker_loop() {
    std::unique_lock lock(work_mutex);
    while (true) {
        work_cv.wait(lock, [this] { return stop || tick_requested; });
        if (stop) break;
        const bool frame = frame_tick;
        tick_requested = false;
        busy = true;
        lock.unlock();
        run_tick(frame);
        lock.lock();
        busy = false;
        idle_cv.notify_all();
    }
}

void Runner::Impl::run_tick(bool frame) {
    TickCommands commands;
    Pace tick_pace;
    {
        std::lock_guard lock(command_mutex);
        commands = std::exchange(pending, TickCommands{});
        tick_pace = pace;
    }
    std::vector<Message> posted;
    std::unique_ptr<PublishedResults::Slot> slot;
    try {
        if (model.tick(commands, tick_pace, frame, stop, posted)) {
            slot = published.take_free();
            model.fill(slot->results, slot->held);
            slot->results.version = ++publishes;
            const std::uint64_t epoch = slot->held.history_epoch;
            published.publish(std::move(slot));
            // When the runs start over (a load, a reset, an edit that restarts), the old run's
            // memory is free once every buffer holds the new one: give it back, so a long class
            // session does not keep the largest preset's memory, and more, for good.
            if (epoch != released_epoch && published.only_epoch_alive(epoch)) {
                released_epoch = epoch;
                release_free_memory();
            }
        }
    } catch (const std::bad_alloc& e) {
        // Only filling the results can get here: that buffer is not reused.
        if (slot) published.discard(std::move(slot));
        posted.push_back(
            {Level::kError, "Could not publish the results: " +
                                core::allocation_message(e, "copying the results for the window")});
    } catch (const std::exception& e) {
        if (slot) published.discard(std::move(slot));
        posted.push_back(
            {Level::kError, std::string("Could not publish the results: ") + e.what()});
    }
    std::lock_guard lock(command_mutex);
    // Settings or a session the worker could not take (out of memory in the engine) leave the
    // runs on the earlier settings, and so does what settings() says, unless newer ones wait.
    if (model.commands_failed() && (commands.settings || commands.replay) && !pending.settings &&
        !pending.replay) {
        accepted = model.settings();
        ++settings_reverts;
    }
    for (Message& m : posted) {
        messages.push_back(std::move(m));
        if (messages.size() > kMaxQueuedMessages) messages.pop_front();
    }
    worker_playing = model.playing();
}

bool Runner::Impl::commands_pending() const {
    std::lock_guard lock(command_mutex);
    return pending.any();
}

Runner::Runner(const core::Settings& initial, const RunnerOptions& options) {
    const Budget budget = budget_for(options.memory_limit, options.threads);
    const core::Settings checked = admitted(initial, budget);
    engine::EngineChoice training = engine::make_engine(options.engine, options.threads);
    engine::EngineChoice probe = engine::make_engine(options.engine, options.threads);
    m_impl = std::make_unique<Impl>(checked, std::move(training.engine), std::move(probe.engine),
                                    budget);
    start(training.message, training.warning ? Level::kWarning : Level::kInfo);
}

// Engines made elsewhere may use every core: the estimate counts that many workers.
Runner::Runner(const core::Settings& initial, std::unique_ptr<engine::Engine> training,
               std::unique_ptr<engine::Engine> probe, const std::string& engine_message,
               std::uint64_t memory_limit)
    : m_impl(std::make_unique<Impl>(admitted(initial, budget_for(memory_limit, 0)),
                                    std::move(training), std::move(probe),
                                    budget_for(memory_limit, 0))) {
    start(engine_message);
}

void Runner::start(const std::string& engine_message, Level level) {
    if (!engine_message.empty()) m_impl->messages.push_back({level, engine_message});
    // The first tick runs here, before the worker exists: results are there to read at once, and
    // the first frame() never finds the worker busy.
    m_impl->run_tick(false);
    m_impl->worker = std::thread([impl = m_impl.get()] { impl->worker_loop(); });
}

Runner::~Runner() {
    {
        std::lock_guard lock(m_impl->work_mutex);
        m_impl->stop = true;
    }
    m_impl->work_cv.notify_all();
    m_impl->worker.join();
}

std::string Runner::apply(const core::Settings& edited) {
    if (std::string error = m_impl->budget.refusal(edited); !error.empty()) return error;
    // Copied before the lock and moved in under it, so running out of memory on the way leaves
    // both as they were.
    core::Settings to_accept, to_apply;
    try {
        to_accept = edited;
        to_apply = edited;
    } catch (const std::bad_alloc& e) {
        return core::allocation_message(e, "taking the new settings");
    }
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->accepted = std::move(to_accept);
    m_impl->pending.settings = std::move(to_apply);
    return {};
}

core::Settings Runner::settings() const {
    std::lock_guard lock(m_impl->command_mutex);
    return m_impl->accepted;
}

std::uint64_t Runner::settings_reverts() const {
    std::lock_guard lock(m_impl->command_mutex);
    return m_impl->settings_reverts;
}

std::string Runner::load(const io::SessionFile& document, std::string_view source) {
    const std::string where = std::string(source) + ": ";
    try {
        return load_checked(document, source, where);
    } catch (const std::bad_alloc& e) {
        return where + core::allocation_message(e, "reading the session");
    }
}

std::string Runner::load_checked(const io::SessionFile& document, std::string_view source,
                                 const std::string& where) {
    if (std::string error = io::check_session_file(document); !error.empty()) return where + error;
    // The replay runs every setting of the timeline in turn; each must fit.
    if (std::string error = m_impl->budget.refusal(document.settings); !error.empty())
        return where + error;
    for (std::size_t i = 0; i < document.history.size(); ++i)
        if (std::string error = m_impl->budget.refusal(document.history[i].settings);
            !error.empty())
            return where + "history[" + std::to_string(i) + "].settings: " + error;
    Replay replay;
    replay.timeline = document.history;
    replay.timeline.push_back({document.settings_step, document.settings});
    replay.step = document.step;
    replay.source = std::string(source);
    if (std::string error = restart_in(replay.timeline); !error.empty()) return where + error;

    core::Settings to_accept = document.settings;  // copied before the lock, as in apply()
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->accepted = std::move(to_accept);
    // Whatever was asked before the load would have been undone by it.
    m_impl->pending = TickCommands{};
    m_impl->pending.replay = std::move(replay);
    m_impl->pending.play = false;
    return {};
}

io::SessionFile Runner::snapshot() const {
    io::SessionFile document;
    const std::shared_ptr<const Results> latest = results();
    const Results& r = *latest;
    document.settings = r.settings;
    document.step = r.steps_done;
    if (!r.timeline.empty()) {
        document.history.assign(r.timeline.begin(), r.timeline.end() - 1);
        document.settings_step = r.timeline.back().step;
    }
    return document;
}

std::vector<io::SettingsChange> Runner::timeline() const {
    return results()->timeline;
}

void Runner::set_playing(bool playing) {
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->pending.play = playing;
}

bool Runner::playing() const {
    std::lock_guard lock(m_impl->command_mutex);
    return m_impl->pending.play.value_or(m_impl->worker_playing);
}

void Runner::step_once() {
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->pending.play = false;
    ++m_impl->pending.steps;
}

void Runner::reset() {
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->pending.reset = true;
}

void Runner::set_before(std::optional<core::Settings> settings, std::string label) {
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->pending.before.emplace(std::move(settings), std::move(label));
}

void Runner::set_pace(int steps_per_frame, double speed) {
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->pace.steps_per_frame = std::clamp(steps_per_frame, 1, kMaxStepsPerFrame);
    m_impl->pace.speed = std::isnan(speed) ? 1.0 : std::clamp(speed, kMinSpeed, 1.0);
}

void Runner::set_pause_points(std::vector<int> steps) {
    std::lock_guard lock(m_impl->command_mutex);
    m_impl->pace.pause_at = std::move(steps);
}

Pace Runner::pace() const {
    std::lock_guard lock(m_impl->command_mutex);
    return m_impl->pace;
}

void Runner::frame() {
    std::lock_guard lock(m_impl->work_mutex);
    // A busy worker skips this frame's tick rather than queueing it: falling behind would make
    // every later frame late too. Commands wait in `pending` for the next tick.
    if (m_impl->busy || m_impl->tick_requested) return;
    m_impl->tick_requested = true;
    m_impl->frame_tick = true;
    m_impl->work_cv.notify_one();
}

void Runner::wait_idle() {
    while (!wait_idle_for(std::chrono::hours(1))) {
    }
}

bool Runner::wait_idle_for(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    Impl& impl = *m_impl;
    std::unique_lock lock(impl.work_mutex);
    while (true) {
        const bool idle = impl.idle_cv.wait_until(
            lock, deadline, [&impl] { return !impl.busy && !impl.tick_requested; });
        if (!idle) return false;
        // Commands given since the last tick (or skipped with a busy frame) are part of what was
        // asked: run a tick for them, without the pace's steps, which only frames make.
        if (!impl.commands_pending()) return true;
        impl.tick_requested = true;
        impl.frame_tick = false;
        impl.work_cv.notify_one();
    }
}

std::shared_ptr<const Results> Runner::results() const {
    return m_impl->published.latest();
}

void Runner::read(const std::function<void(const Results&)>& reader) const {
    const std::shared_ptr<const Results> latest = results();
    reader(*latest);
}

std::vector<Message> Runner::take_messages() {
    std::lock_guard lock(m_impl->command_mutex);
    std::vector<Message> out(std::make_move_iterator(m_impl->messages.begin()),
                             std::make_move_iterator(m_impl->messages.end()));
    m_impl->messages.clear();
    return out;
}

}  // namespace rl::live
