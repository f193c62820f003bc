#pragma once

#include <imgui.h>

#include <optional>

#include "control/lesson_player.hpp"

// The guided lesson's strip above the plots: the step's title and text, with Back and Next.
namespace rl::app {

class LessonStrip {
  public:
    // The strip's body; returns the step Back or Next asked for this frame.
    std::optional<int> draw(const control::LessonPlayer& lesson, ImFont* title_font);

    // The strip's height for `width` pixels, enough for the lesson's longest step, so the panels
    // do not jump as the class steps through. Needs a current ImGui frame; measured again only
    // when the width, the font size or the lesson changes.
    float preferred_height(const control::LessonPlayer& lesson, float width);

  private:
    int m_measured_revision = -1;
    float m_measured_width = -1.0f, m_measured_font = -1.0f, m_measured_height = 0.0f;
};

}  // namespace rl::app
