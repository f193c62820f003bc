#pragma once

#include <imgui.h>

#include <optional>
#include <string>

#include "app/message_log.hpp"
#include "core/session.hpp"
#include "io/session_document.hpp"
#include "live/live_session.hpp"

// The guided lesson: a strip above the plots with the step's text and Back / Next. Showing a
// step applies its settings: the lesson's base settings, then every step's `set` up to this one,
// so Back restores exactly what the step showed before.
namespace rl::app {

class LessonPanel {
  public:
    // `base`: the settings the lesson's steps build on (the preset's own).
    void set_lesson(io::Lesson lesson, Session base, int shown = -1);
    bool has_lesson() const { return !m_lesson.steps.empty(); }
    int shown() const { return m_shown; }
    int step_count() const { return static_cast<int>(m_lesson.steps.size()); }
    const io::Lesson& lesson() const { return m_lesson; }

    // Shows step `index` (clamped) and applies its settings to the live session. Returns the
    // settings applied, or nothing (and logs why) when the live session refused them.
    std::optional<Session> show(int index, live::LiveSession& live, MessageLog& log);

    // The strip's body; returns the settings of a step shown by Back or Next this frame, so the
    // caller can bring the controls' draft up to date.
    std::optional<Session> draw(live::LiveSession& live, MessageLog& log, ImFont* title_font);

    // The strip's height for `width` pixels, enough for its longest step, so the panels do not
    // jump as the class steps through. Needs a current ImGui frame.
    float preferred_height(float width) const;

  private:
    io::Lesson m_lesson;
    Session m_base;
    int m_shown = -1;  // -1: the introduction, before the first step
};

// The settings a document's lesson builds on: its preset's own when the preset is installed with
// a lesson of the same length, else the first settings the runs had.
Session lesson_base_for(const io::SessionDocument& document);

}  // namespace rl::app
