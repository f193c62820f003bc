#include "app/panels/message_log.hpp"

#include <imgui.h>

#include <cstdio>

#include "core/one_line.hpp"

namespace rl::app {

namespace {

ImVec4 level_color(live::Level level) {
    switch (level) {
        case live::Level::kError:
            return {0.95f, 0.30f, 0.25f, 1.0f};
        case live::Level::kWarning:
            return {0.95f, 0.70f, 0.15f, 1.0f};
        case live::Level::kInfo:
        default:
            return ImGui::GetStyleColorVec4(ImGuiCol_Text);
    }
}

const char* level_tag(live::Level level) {
    switch (level) {
        case live::Level::kError:
            return "Error: ";
        case live::Level::kWarning:
            return "Warning: ";
        case live::Level::kInfo:
        default:
            return "";
    }
}

}  // namespace

void MessageLog::add(live::Level level, std::string text, double now) {
    // Every message the window shows passes here: one bounded line, whatever it quotes.
    m_entries.push_back({{level, core::one_line(text)}, now});
    while (m_entries.size() > kMaxEntries)
        m_entries.pop_front();
}

void MessageLog::take(std::vector<live::Message> messages, double now, bool print) {
    for (live::Message& m : messages) {
        add(m.level, std::move(m.text), now);
        // The entry as logged: already one bounded line.
        const live::Message& logged = m_entries.back().message;
        if (print && logged.level != live::Level::kInfo)
            std::printf("%s%s\n", level_tag(logged.level), logged.text.c_str());
    }
}

const LoggedMessage* MessageLog::shown(double now) const {
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
        if (it->message.level != live::Level::kInfo && now - it->time < kProblemHoldSeconds)
            return &*it;
    }
    return m_entries.empty() ? nullptr : &m_entries.back();
}

void MessageLog::draw_shown(double now) const {
    const LoggedMessage* m = shown(now);
    if (m == nullptr) return;
    // Info fades after a while so an old notice does not look current; problems stay.
    const bool stale = m->message.level == live::Level::kInfo && now - m->time > 12.0;
    ImVec4 color = level_color(m->message.level);
    if (stale) color.w *= 0.55f;
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(level_tag(m->message.level));
    ImGui::SameLine(0.0f, 0.0f);
    ImGui::TextUnformatted(m->message.text.c_str());
    ImGui::PopStyleColor();
}

void MessageLog::draw_history() const {
    for (const LoggedMessage& m : m_entries) {
        ImGui::PushStyleColor(ImGuiCol_Text, level_color(m.message.level));
        ImGui::TextWrapped("%6.1f s  %s%s", m.time, level_tag(m.message.level),
                           m.message.text.c_str());
        ImGui::PopStyleColor();
    }
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
}

}  // namespace rl::app
