#pragma once

#include <optional>
#include <string>

#include "control/compare_pair.hpp"
#include "control/transport.hpp"
#include "core/settings.hpp"
#include "io/session_file.hpp"

// A guided lesson's steps. Showing a step applies its settings (the lesson's base settings, then
// every step's `set` up to this one, so Back restores exactly what the step showed before), then
// its reset and play, in one place: through the pair and the transport, so compare mode's B takes
// the step too.
namespace rl::control {

class LessonPlayer {
  public:
    // `base`: the settings the lesson's steps build on (the preset's own). shown: -1 for the
    // introduction, before the first step.
    void set_lesson(io::Lesson lesson, core::Settings base, int shown = -1);
    bool has_lesson() const { return !m_lesson.steps.empty(); }
    int shown() const { return m_shown; }
    int step_count() const { return static_cast<int>(m_lesson.steps.size()); }
    const io::Lesson& lesson() const { return m_lesson; }
    // Bumps with every set_lesson, so a view that measured the lesson knows to measure again.
    int revision() const { return m_revision; }
    // The step on show; null during the introduction.
    const io::LessonStep* shown_step() const;

    // Paced (the default), showing a step sets the pace a class can follow (the step's own, else
    // io::kLessonPace) and its pause points. Scripted runs (--frames) turn it off, so a given
    // number of frames reaches the same step whatever the lesson says.
    void set_paced(bool paced) { m_paced = paced; }
    bool paced() const { return m_paced; }

    // Shows step `index` (clamped to the lesson). "" when shown; otherwise "Lesson step N:
    // reason" and nothing changed.
    std::string show(int index, ComparePair& pair, Transport& transport);
    // The settings of the step before the one shown, for the before/after ghost; nullopt for the
    // first step and the introduction.
    std::optional<core::Settings> before_settings() const;
    // "step N": what the ghost of before_settings() is called.
    std::string before_label() const;

  private:
    io::Lesson m_lesson;
    core::Settings m_base;
    int m_shown = -1;
    int m_revision = 0;
    bool m_paced = true;
};

// The settings a file's lesson builds on: its preset's own when the preset is installed with a
// lesson of the same length, else the first settings the runs had.
core::Settings lesson_base_for(const io::SessionFile& file);

}  // namespace rl::control
