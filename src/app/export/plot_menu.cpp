#include "app/export/plot_menu.hpp"

#include <imgui.h>

namespace rl::app {

void PlotMenu::draw(const std::vector<PlotPlacement>& placed, Exporter& exporter, plot::Rgba page) {
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
        ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) {
        const ImVec2 m = ImGui::GetMousePos();
        for (const PlotPlacement& p : placed) {
            if (m.x < p.min.x || m.x > p.max.x || m.y < p.min.y || m.y > p.max.y) continue;
            m_plot = p.name;
            ImGui::OpenPopup("##plot menu");
        }
    }
    if (!ImGui::BeginPopup("##plot menu")) return;
    ImGui::TextDisabled("%s plot", m_plot.c_str());
    ImGui::Separator();
    if (ImGui::MenuItem("Save as PNG")) exporter.request_plot_png(m_plot);
    if (ImGui::MenuItem("Save as SVG")) exporter.export_recording(m_plot, PlotFormat::kSvg, page);
    if (ImGui::MenuItem("Save its data as CSV"))
        exporter.export_recording(m_plot, PlotFormat::kCsv, page);
    ImGui::Separator();
    if (ImGui::MenuItem("Save the window as PNG", "F12")) exporter.request_window_png();
    ImGui::TextDisabled("into %s", exporter.folder().string().c_str());
    ImGui::EndPopup();
}

}  // namespace rl::app
