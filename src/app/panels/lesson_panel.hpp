#pragma once

#include <imgui.h>

#include <optional>
#include <string>

#include "app/panels/message_log.hpp"
#include "core/settings.hpp"
#include "io/session_file.hpp"
#include "live/runner.hpp"

// The guided lesson: a strip above the plots with the step's text and Back / Next. Showing a
// step applies its settings: the lesson's base settings, then every step's `set` up to this one,
// so Back restores exactly what the step showed before.
namespace rl::app {

class LessonPanel {
  public:
    // `base`: the settings the lesson's steps build on (the preset's own).
    void set_lesson(io::Lesson lesson, core::Settings base, int shown = -1);
    bool has_lesson() const { return !m_lesson.steps.empty(); }
    int shown() const { return m_shown; }
    int step_count() const { return static_cast<int>(m_lesson.steps.size()); }
    const io::Lesson& lesson() const { return m_lesson; }

    // Shows step `index` (clamped) and applies its settings to the live session; the caller
    // then does the step's transport (reset, play) through the controls, so compare mode's B
    // follows. Nothing (and the log says why) when the live session refused the settings.
    struct Shown {
        core::Settings settings;
        bool reset = false;
        std::optional<bool> play;
    };
    std::optional<Shown> show(int index, live::Runner& live, MessageLog& log);

    // The strip's body; returns the step shown by Back, Next or a key this frame.
    std::optional<Shown> draw(live::Runner& live, MessageLog& log, ImFont* title_font);

    // The strip's height for `width` pixels, enough for its longest step, so the panels do not
    // jump as the class steps through. Needs a current ImGui frame; measured again only when the
    // width, the font size or the lesson changes.
    float preferred_height(float width);

  private:
    io::Lesson m_lesson;
    core::Settings m_base;
    int m_shown = -1;  // -1: the introduction, before the first step
    float m_measured_width = -1.0f, m_measured_font = -1.0f, m_measured_height = 0.0f;
};

// The settings a document's lesson builds on: its preset's own when the preset is installed with
// a lesson of the same length, else the first settings the runs had.
core::Settings lesson_base_for(const io::SessionFile& document);

}  // namespace rl::app
