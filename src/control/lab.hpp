#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "control/compare_pair.hpp"
#include "control/lesson_player.hpp"
#include "control/transport.hpp"
#include "io/session_file.hpp"
#include "live/runner.hpp"

// Everything a person can do to the running experiment, in one place without ImGui: edit the
// settings, compare two estimators, step through the lesson, play and pause, open and save session
// files. The window's panels and menus, the soak and the tests all call these, so what the window
// does is what the tests check. Each action returns "" or a one-line reason (and changes nothing
// when refused); its notices and the runners' come out of take_messages().
namespace rl::control {

class Lab {
  public:
    // Throws std::invalid_argument when A cannot run.
    Lab(const core::Settings& initial, const live::RunnerOptions& options);
    Lab(std::unique_ptr<live::Runner> a, const live::RunnerOptions& options);

    // Reading.
    core::Settings settings() const { return m_pair.settings_a(); }
    // Bumps whenever A's settings change by any route (an edit, a lesson step, a load, an edit
    // the runner could not carry out), so a panel's draft knows when to start again from
    // settings().
    std::uint64_t settings_version() const {
        return m_settings_version + m_pair.a().settings_reverts();
    }
    // The same for settings_b(): B's estimator, compare mode on or off, and every change of A's.
    std::uint64_t b_settings_version() const { return settings_version() + m_b_changes; }
    std::shared_ptr<const live::Results> results_a() const { return m_pair.results_a(); }
    std::shared_ptr<const live::Results> results_b() const { return m_pair.results_b(); }
    bool comparing() const { return m_pair.comparing(); }
    core::Settings settings_b() const { return m_pair.settings_b(); }
    const LessonPlayer& lesson() const { return m_lesson; }
    Transport& transport() { return m_transport; }
    ComparePair& pair() { return m_pair; }

    // The settings, as a whole (B follows with its own estimator).
    std::string apply(const core::Settings& edited);
    // B's estimator, in compare mode.
    std::string apply_b(const core::EstimatorSettings& estimator);

    // Compare mode: B with `b`'s estimator beside A, both from step 0; the default B is
    // leave-one-out against A (or no baseline when A uses it).
    std::string compare_on(const core::Settings& b);
    std::string compare_on_default();
    void compare_off();
    void toggle_compare();

    // The lesson: the settings it builds on and the step on show (-1: the introduction).
    // Paced (the default), a lesson plays at a pace a class can follow (LessonPlayer::set_paced).
    void set_lesson(io::Lesson lesson, core::Settings base, int shown = -1);
    void set_lesson_paced(bool paced) { m_lesson.set_paced(paced); }
    std::string show_lesson_step(int index);

    // Replays a session file to its step and takes its lesson; `lesson_base` is what the lesson
    // builds on (lesson_base_for). `source` names it in messages.
    std::string load(const io::SessionFile& file, const core::Settings& lesson_base,
                     const std::string& source);
    // A preset with its lesson, playing from step 0.
    std::string load_preset(const std::string& name);
    // The session as it stands: settings, steps done, how the settings changed on the way, the
    // lesson and its step.
    io::SessionFile session_file() const;
    // Writes session_file() to `file` atomically, making its folder. A lesson that no longer fits
    // the settings (an action it sets was renamed) is left out rather than losing the run.
    std::string save(const std::filesystem::path& file) const;

    std::vector<live::Message> take_messages();

  private:
    void post(live::Level level, std::string text);
    void changed() { ++m_settings_version; }
    void b_changed() { ++m_b_changes; }
    // Runner A's before/after ghost: the settings of the lesson step before the one shown.
    void show_before();

    ComparePair m_pair;
    Transport m_transport{m_pair};
    LessonPlayer m_lesson;
    std::uint64_t m_settings_version = 0;
    std::uint64_t m_b_changes = 0;
    std::vector<live::Message> m_messages;
};

}  // namespace rl::control
