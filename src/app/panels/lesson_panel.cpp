#include "app/panels/lesson_panel.hpp"

#include <algorithm>
#include <utility>

#include "app/panels/widgets.hpp"
#include "io/presets.hpp"

namespace rl::app {

void LessonPanel::set_lesson(io::Lesson lesson, core::Settings base, int shown) {
    m_lesson = std::move(lesson);
    m_base = std::move(base);
    m_measured_width = -1.0f;
    m_shown = std::clamp(shown, -1, step_count() - 1);
}

std::optional<LessonPanel::Shown> LessonPanel::show(int index, live::Runner& live,
                                                    MessageLog& log) {
    if (!has_lesson()) return std::nullopt;
    index = std::clamp(index, 0, step_count() - 1);
    core::Settings next;
    if (const std::string error = io::lesson_settings(m_base, m_lesson, index, next);
        !error.empty()) {
        log.add(live::Level::kError, "Lesson step " + std::to_string(index + 1) + ": " + error,
                ImGui::GetTime());
        return std::nullopt;
    }
    if (const std::string error = live.apply(next); !error.empty()) {
        log.add(live::Level::kError, "Lesson step " + std::to_string(index + 1) + ": " + error,
                ImGui::GetTime());
        return std::nullopt;
    }
    const io::LessonStep& step = m_lesson.steps[static_cast<std::size_t>(index)];
    m_shown = index;
    return Shown{std::move(next), step.reset, step.play};
}

namespace {

constexpr const char* kIntroduction =
    "Step through this lesson with Begin and Next; each step changes the settings and says what "
    "to watch. You can still change anything by hand in between.";

}  // namespace

core::Settings lesson_base_for(const io::SessionFile& document) {
    if (!document.lesson.steps.empty() && !document.settings.preset.empty()) {
        const io::SessionFileResult preset =
            io::load_preset_file(io::find_asset_dir(), document.settings.preset);
        if (preset && preset.document->lesson.steps.size() == document.lesson.steps.size())
            return preset.document->settings;
    }
    return document.history.empty() ? document.settings : document.history.front().settings;
}

float LessonPanel::preferred_height(float width) {
    if (!has_lesson()) return 0.0f;
    if (width == m_measured_width && ImGui::GetFontSize() == m_measured_font)
        return m_measured_height;
    m_measured_width = width;
    m_measured_font = ImGui::GetFontSize();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float wrap = std::max(width - 2.0f * style.WindowPadding.x, 50.0f);
    float text_h = ImGui::CalcTextSize(kIntroduction, nullptr, false, wrap).y;
    for (const io::LessonStep& step : m_lesson.steps)
        text_h = std::max(text_h, ImGui::CalcTextSize(step.text.c_str(), nullptr, false, wrap).y);
    // Heading line (a button's height), the text and the window's padding.
    m_measured_height = ImGui::GetFrameHeightWithSpacing() + text_h + 2.0f * style.WindowPadding.y +
                        style.ItemSpacing.y;
    return m_measured_height;
}

std::optional<LessonPanel::Shown> LessonPanel::draw(live::Runner& live, MessageLog& log,
                                                    ImFont* title_font) {
    if (!has_lesson()) return std::nullopt;
    const float unit = ImGui::GetFontSize();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button_w = unit * 5.5f;
    const float buttons_w = button_w * 2.0f + style.ItemSpacing.x;

    std::optional<Shown> shown;
    const bool intro = m_shown < 0;
    const std::string heading = intro ? "Lesson: " + std::to_string(step_count()) + " steps"
                                      : "Step " + std::to_string(m_shown + 1) + " of " +
                                            std::to_string(step_count()) + ": " +
                                            m_lesson.steps[static_cast<std::size_t>(m_shown)].title;
    if (title_font != nullptr) ImGui::PushFont(title_font);
    ImGui::TextUnformatted(heading.c_str());
    if (title_font != nullptr) ImGui::PopFont();

    ImGui::SameLine(
        std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - buttons_w));
    ImGui::BeginDisabled(m_shown <= 0);
    if (ImGui::Button("< Back", {button_w, 0.0f})) shown = show(m_shown - 1, live, log);
    ImGui::EndDisabled();
    tooltip("The previous step, with its settings (Page Up).");
    ImGui::SameLine();
    ImGui::BeginDisabled(m_shown >= step_count() - 1);
    if (ImGui::Button(intro ? "Begin >" : "Next >", {button_w, 0.0f}))
        shown = show(m_shown + 1, live, log);
    ImGui::EndDisabled();
    tooltip("The next step: applies its settings (Page Down; a presentation clicker works).");

    ImGui::PushTextWrapPos(0.0f);
    if (intro) {
        ImGui::TextUnformatted(kIntroduction);
    } else {
        ImGui::TextUnformatted(m_lesson.steps[static_cast<std::size_t>(m_shown)].text.c_str());
    }
    ImGui::PopTextWrapPos();

    // Presentation clickers send Page Up / Page Down.
    if (!ImGui::GetIO().WantTextInput) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown), false) &&
            m_shown < step_count() - 1)
            shown = show(m_shown + 1, live, log);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp), false) && m_shown > 0)
            shown = show(m_shown - 1, live, log);
    }
    return shown;
}

}  // namespace rl::app
