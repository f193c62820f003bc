#include "control/lesson_player.hpp"

#include <algorithm>
#include <utility>

#include "io/presets.hpp"

namespace rl::control {

void LessonPlayer::set_lesson(io::Lesson lesson, core::Settings base, int shown) {
    m_lesson = std::move(lesson);
    m_base = std::move(base);
    m_shown = std::clamp(shown, -1, step_count() - 1);
    ++m_revision;
}

const io::LessonStep* LessonPlayer::shown_step() const {
    return m_shown < 0 ? nullptr : &m_lesson.steps[static_cast<std::size_t>(m_shown)];
}

std::string LessonPlayer::show(int index, ComparePair& pair, Transport& transport) {
    if (!has_lesson()) return "there is no lesson";
    index = std::clamp(index, 0, step_count() - 1);
    const std::string where = "Lesson step " + std::to_string(index + 1) + ": ";
    core::Settings next;
    if (std::string error = io::lesson_settings(m_base, m_lesson, index, next); !error.empty())
        return where + error;
    if (std::string error = pair.apply(next); !error.empty()) return where + error;
    m_shown = index;
    const io::LessonStep& step = m_lesson.steps[static_cast<std::size_t>(index)];
    if (step.reset) transport.reset();
    // Every step sets the pace, so a fast step's speed does not carry into a slow one.
    if (m_paced) transport.set_pace({1, step.pace.value_or(io::kLessonPace), step.pause_at});
    if (step.play) transport.set_playing(*step.play);
    return {};
}

std::optional<core::Settings> LessonPlayer::before_settings() const {
    if (m_shown < 1) return std::nullopt;
    core::Settings before;
    if (!io::lesson_settings(m_base, m_lesson, m_shown - 1, before).empty()) return std::nullopt;
    return before;
}

std::string LessonPlayer::before_label() const {
    return m_shown < 1 ? std::string() : "step " + std::to_string(m_shown);
}

core::Settings lesson_base_for(const io::SessionFile& file) {
    if (!file.lesson.steps.empty() && !file.settings.preset.empty()) {
        const io::SessionFileResult preset =
            io::load_preset_file(io::find_asset_dir(), file.settings.preset);
        if (preset && preset.document->lesson.steps.size() == file.lesson.steps.size())
            return preset.document->settings;
    }
    return file.history.empty() ? file.settings : file.history.front().settings;
}

}  // namespace rl::control
