#include "app/shell/export_dialog.hpp"

#include <imgui.h>

#include <algorithm>

#include "app/panels/widgets.hpp"
#include "app/platform/config_paths.hpp"
#include "io/export_names.hpp"

namespace rl::app {

void ExportDialog::draw(bool& open, Exporter& exporter, MessageLog& log, bool remember) {
    if (!open) return;
    // The height follows the contents every frame (0: fit), so the Stop button that appears
    // with a recording is never cut off; the width fits the screen.
    const float width = std::min(ImGui::GetFontSize() * 34.0f,
                                 ImGui::GetIO().DisplaySize.x - 2.0f * ImGui::GetFontSize());
    ImGui::SetNextWindowSize({width, 0.0f}, ImGuiCond_Always);
    if (ImGui::Begin("Export folder and recording", &open, ImGuiWindowFlags_NoCollapse)) {
        ImGui::TextWrapped(
            "PNG, SVG and CSV files are saved here, named after the lesson, the plot and the "
            "time; an existing file is never replaced.");
        const auto choose = [&](const std::string& folder) {
            m_folder_draft = folder;
            exporter.set_folder(folder);
            if (!remember) return;
            if (const std::string error = save_export_folder(folder); !error.empty())
                log.add(live::Level::kWarning, error, ImGui::GetTime());
        };
        ImGui::SetNextItemWidth(-1.0f);
        if (input_text("##folder", m_folder_draft)) choose(m_folder_draft);
        if (ImGui::Button("Default folder")) choose(io::default_export_folder().string());
        tooltip("The Pictures folder's reinforce-lab folder, or your home folder's.");
        ImGui::Separator();
        ImGui::TextUnformatted("Record: a PNG of the window every");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
        if (input_int("##every", &m_record_every))
            m_record_every = std::clamp(m_record_every, 1, 600);
        ImGui::SameLine();
        ImGui::TextUnformatted("frames (60 frames = 1 s)");
        if (exporter.recording()) {
            ImGui::Text("Recording: %d frames so far", exporter.recorded_frames());
            if (ImGui::Button("Stop recording")) exporter.stop_recording();
        } else if (ImGui::Button("Start recording")) {
            exporter.start_recording(m_record_every);
        }
        tooltip(
            "Each frame is a PNG numbered in order; a tool such as ImageMagick's convert "
            "turns the folder into a GIF.");
    }
    ImGui::End();
}

}  // namespace rl::app
