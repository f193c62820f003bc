#include "app/panels/ui_probe.hpp"

#include <imgui.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace rl::app {

namespace {

constexpr long long kRewriteFrames = 30;

UiProbe* g_probe = nullptr;

}  // namespace

UiProbe::UiProbe() {
    if (const char* file = std::getenv("RL_UI_PROBE"); file != nullptr && *file != '\0')
        m_file = file;
}

namespace {

std::string rect_text(ImVec2 lo, ImVec2 hi) {
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    char rect[96];
    std::snprintf(rect, sizeof rect, " %d %d %d %d", static_cast<int>(lo.x * scale.x),
                  static_cast<int>(lo.y * scale.y), static_cast<int>(hi.x * scale.x),
                  static_cast<int>(hi.y * scale.y));
    return rect;
}

}  // namespace

void UiProbe::item(std::string_view name) {
    if (!active()) return;
    m_items.push_back("item " + std::string(name) +
                      rect_text(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()));
}

void UiProbe::box(std::string_view name, float x0, float y0, float x1, float y1) {
    if (!active()) return;
    m_items.push_back("item " + std::string(name) + rect_text({x0, y0}, {x1, y1}));
}

void UiProbe::window(std::string_view name) {
    if (!active()) return;
    const ImVec2 lo = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    m_items.push_back("window " + std::string(name) +
                      rect_text(lo, {lo.x + size.x, lo.y + size.y}));
}

void UiProbe::status(std::string text) {
    if (active()) m_status = std::move(text);
}

void UiProbe::message(const std::string& text) {
    if (active()) m_items.push_back("message " + text);
}

void UiProbe::end_frame(long long frame) {
    if (!active()) return;
    // Whether a text field has the keyboard: keys type into it instead of running shortcuts.
    m_items.push_back(ImGui::GetIO().WantTextInput ? "typing yes" : "typing no");
    const bool changed = m_items != m_written_items || m_status != m_written_status;
    if (changed || frame - m_written_frame >= kRewriteFrames) {
        std::filesystem::path temporary = m_file;
        temporary += ".tmp";
        {
            std::ofstream out(temporary, std::ios::trunc);
            out << "frame " << frame << "\nstatus " << m_status << "\n";
            for (const std::string& line : m_items)
                out << line << "\n";
        }
        std::error_code ec;
        std::filesystem::rename(temporary, m_file, ec);
        m_written_items = m_items;
        m_written_status = m_status;
        m_written_frame = frame;
    }
    m_items.clear();
}

UiProbe* current_ui_probe() {
    return g_probe;
}

void set_current_ui_probe(UiProbe* probe) {
    g_probe = probe;
}

void probe_item(std::string_view name) {
    if (g_probe != nullptr) g_probe->item(name);
}

void probe_window(std::string_view name) {
    if (g_probe != nullptr) g_probe->window(name);
}

}  // namespace rl::app
