#include "app/panels/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rl::app {

void tooltip(const char* text) {
    if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void section(const char* title) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram));
    ImGui::TextUnformatted(title);
    ImGui::PopStyleColor();
    ImGui::Separator();
}

bool input_int(const char* label, int* value) {
    ImGui::InputInt(label, value, 0, 0);
    return ImGui::IsItemDeactivatedAfterEdit();
}

bool input_text(const char* label, std::string& value) {
    char buffer[1024];
    const std::size_t n = std::min(value.size(), sizeof buffer - 1);
    value.copy(buffer, n);
    buffer[n] = '\0';
    if (ImGui::InputText(label, buffer, sizeof buffer)) value = buffer;
    return ImGui::IsItemDeactivatedAfterEdit();
}

std::string format_number(double value, int significant) {
    if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "inf" : "-inf");
    if (value == 0.0) return "0";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", significant, value);
    return buffer;
}

}  // namespace rl::app
