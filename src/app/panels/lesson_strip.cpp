#include "app/panels/lesson_strip.hpp"

#include <algorithm>
#include <string>

#include "app/panels/ui_probe.hpp"
#include "app/panels/widgets.hpp"
#include "plot/plot.hpp"

namespace rl::app {

namespace {

constexpr const char* kIntroduction =
    "Step through this lesson with Begin and Next; each step changes the settings and says what "
    "to watch. You can still change anything by hand in between.";

}  // namespace

float LessonStrip::preferred_height(const control::LessonPlayer& player, float width) {
    if (!player.has_lesson()) return 0.0f;
    const io::Lesson& lesson = player.lesson();
    if (width == m_measured_width && ImGui::GetFontSize() == m_measured_font &&
        player.revision() == m_measured_revision)
        return m_measured_height;
    m_measured_width = width;
    m_measured_font = ImGui::GetFontSize();
    m_measured_revision = player.revision();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float wrap = std::max(width - 2.0f * style.WindowPadding.x, 50.0f);
    float text_h = ImGui::CalcTextSize(kIntroduction, nullptr, false, wrap).y;
    for (const io::LessonStep& step : lesson.steps)
        text_h = std::max(text_h, ImGui::CalcTextSize(step.text.c_str(), nullptr, false, wrap).y);
    // Heading line (a button's height), the text and the window's padding.
    m_measured_height = ImGui::GetFrameHeightWithSpacing() + text_h + 2.0f * style.WindowPadding.y +
                        style.ItemSpacing.y;
    return m_measured_height;
}

std::optional<int> LessonStrip::draw(const control::LessonPlayer& player, ImFont* title_font) {
    if (!player.has_lesson()) return std::nullopt;
    const float unit = ImGui::GetFontSize();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button_w = unit * 5.5f;
    const float buttons_w = button_w * 2.0f + style.ItemSpacing.x;
    const int shown = player.shown();
    const int count = player.step_count();

    std::optional<int> asked;
    const io::LessonStep* step = player.shown_step();
    const std::string heading = step == nullptr ? "Lesson: " + std::to_string(count) + " steps"
                                                : "Step " + std::to_string(shown + 1) + " of " +
                                                      std::to_string(count) + ": " + step->title;
    // The heading is cut to the room left of the buttons, so the two never overlap.
    const float buttons_x = ImGui::GetWindowContentRegionMax().x - buttons_w;
    const float heading_room = buttons_x - ImGui::GetCursorPosX() - style.ItemSpacing.x;
    if (title_font != nullptr) ImGui::PushFont(title_font);
    ImGui::TextUnformatted(plot::fit_text(heading, heading_room).c_str());
    if (title_font != nullptr) ImGui::PopFont();
    if (step != nullptr && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", heading.c_str());

    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), buttons_x));
    ImGui::BeginDisabled(shown <= 0);
    if (ImGui::Button("< Back", {button_w, 0.0f})) asked = shown - 1;
    ImGui::EndDisabled();
    probe_item("Lesson/Back");
    tooltip("The previous step, with its settings (Page Up).");
    ImGui::SameLine();
    ImGui::BeginDisabled(shown >= count - 1);
    if (ImGui::Button(step == nullptr ? "Begin >" : "Next >", {button_w, 0.0f})) asked = shown + 1;
    ImGui::EndDisabled();
    probe_item("Lesson/Next");
    tooltip("The next step: applies its settings (Page Down; a presentation clicker works).");

    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(step == nullptr ? kIntroduction : step->text.c_str());
    ImGui::PopTextWrapPos();
    return asked;
}

}  // namespace rl::app
