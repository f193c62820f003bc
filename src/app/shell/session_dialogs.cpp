#include "app/shell/session_dialogs.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <chrono>
#include <system_error>

#include "app/panels/ui_probe.hpp"
#include "io/export_names.hpp"

namespace rl::app {

namespace {

// The session files (*.json) in `folder`, newest first.
std::vector<std::filesystem::path> session_files_in(const std::filesystem::path& folder) {
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
        std::error_code time_error;
        if (e.path().extension() == ".json")
            found.emplace_back(e.last_write_time(time_error), e.path());
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::filesystem::path> files;
    for (auto& f : found)
        files.push_back(std::move(f.second));
    return files;
}

double now() {
    return ImGui::GetTime();
}

}  // namespace

std::filesystem::path session_path_for(const std::string& typed,
                                       const std::filesystem::path& folder) {
    std::filesystem::path path(typed);
    if (!path.has_parent_path() && !path.filename().empty()) path = folder / path;
    if (!path.filename().empty() && !path.has_extension()) path += ".json";
    return path;
}

void SessionDialog::open(bool save, const std::filesystem::path& folder,
                         const std::string& preset) {
    m_mode = save ? Mode::kSave : Mode::kOpen;
    m_folder = folder;
    m_confirm_replace = false;
    m_focus = true;
    m_listed_folder.clear();  // a file saved meanwhile shows
    m_path = save ? (folder / io::export_file_name(preset, "session", "json",
                                                   std::chrono::system_clock::now()))
                        .string()
                  : (folder / "").string();
}

void SessionDialog::act(control::Lab& lab, MessageLog& log, bool& close, bool& loaded) {
    const std::filesystem::path path = session_path_for(m_path, m_folder);
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (m_mode == Mode::kSave) {
        if (exists && !m_confirm_replace) {
            m_confirm_replace = true;  // a second press replaces it
            return;
        }
        const std::string error = lab.save(path);
        log.add(
            error.empty() ? live::Level::kInfo : live::Level::kError,
            error.empty() ? "Saved the session to " + path.string() : "Session not saved: " + error,
            now());
        close = error.empty();
        return;
    }
    const io::SessionFileResult read = io::read_session_file(path);
    if (!read) {
        log.add(live::Level::kError, read.error + " (the current session is unchanged)", now());
        return;
    }
    const std::string error =
        lab.load(*read.document, control::lesson_base_for(*read.document), path.string());
    if (!error.empty()) {
        log.add(live::Level::kError, error + " (the current session is unchanged)", now());
        return;
    }
    close = loaded = true;
}

bool SessionDialog::draw(control::Lab& lab, MessageLog& log) {
    if (m_mode == Mode::kClosed) return false;
    const bool saving = m_mode == Mode::kSave;
    const char* title = saving ? "Save session" : "Open session";
    bool open = true, close = false, loaded = false;
    ImGui::SetNextWindowSize({ImGui::GetFontSize() * 36.0f, 0.0f}, ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            {0.5f, 0.5f});
    if (ImGui::Begin(title, &open, ImGuiWindowFlags_NoCollapse)) {
        probe_window(title);
        ImGui::TextWrapped(saving ? "Saves the settings, the step reached and how the settings "
                                    "changed on the way, so opening the file replays this run. "
                                    "A name alone goes in the export folder."
                                  : "Opens a session file saved earlier and replays it to the "
                                    "step it was saved at. Pick a file or type its path.");
        ImGui::SetNextItemWidth(-1.0f);
        if (m_focus) {
            ImGui::SetKeyboardFocusHere();
            m_focus = false;
        }
        const bool entered = ImGui::InputText(
            "##path", &m_path,
            ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
        if (ImGui::IsItemEdited()) m_confirm_replace = false;
        probe_item(std::string(title) + "/path");
        if (!saving) {
            // The .json files next to the typed path, newest first; listed again only when the
            // folder changes, not on every frame the window is open.
            std::filesystem::path folder(m_path);
            std::error_code ec;
            if (!std::filesystem::is_directory(folder, ec)) folder = folder.parent_path();
            if (folder != m_listed_folder) {
                m_listed_folder = folder;
                m_listed_files = session_files_in(folder);
            }
            ImGui::BeginChild("files", {0.0f, ImGui::GetTextLineHeightWithSpacing() * 8.0f}, true);
            for (const std::filesystem::path& f : m_listed_files) {
                if (ImGui::Selectable(f.filename().string().c_str(), f.string() == m_path))
                    m_path = f.string();
                probe_item("Open session/file/" + f.filename().string());
            }
            if (m_listed_files.empty())
                ImGui::TextDisabled("no session files in %s", folder.string().c_str());
            ImGui::EndChild();
        }
        std::error_code ec;
        const bool exists = std::filesystem::exists(session_path_for(m_path, m_folder), ec);
        const char* action = !saving ? "Open" : (m_confirm_replace ? "Replace it" : "Save");
        if (saving && exists && !m_confirm_replace)
            ImGui::TextColored({0.95f, 0.7f, 0.2f, 1.0f}, "A file with this name exists.");
        const float w = ImGui::GetFontSize() * 8.0f;
        const bool pressed = ImGui::Button(action, {w, 0.0f});
        probe_item(std::string(title) + "/" + (saving ? "Save" : "Open"));
        if (pressed || entered) act(lab, log, close, loaded);
        ImGui::SameLine();
        if (ImGui::Button("Cancel", {w, 0.0f})) close = true;
        probe_item(std::string(title) + "/Cancel");
        if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
            ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false))
            close = true;
    }
    ImGui::End();
    if (!open || close) m_mode = Mode::kClosed;
    return loaded;
}

void ResumeOffer::offer(io::SessionFile file, core::Settings lesson_base, std::string what) {
    m_file = std::move(file);
    m_base = std::move(lesson_base);
    m_what = std::move(what);
}

bool ResumeOffer::draw(control::Lab& lab, MessageLog& log) {
    if (!m_file) return false;
    if (!ImGui::IsPopupOpen("Welcome back")) ImGui::OpenPopup("Welcome back");
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            {0.5f, 0.5f});
    if (!ImGui::BeginPopupModal("Welcome back", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
        return false;
    probe_window("Welcome back");
    ImGui::TextUnformatted("Pick up where you left off?");
    ImGui::TextDisabled("%s", m_what.c_str());
    ImGui::Spacing();
    const float w = ImGui::GetFontSize() * 10.0f;
    bool resumed = false;
    const bool resume = ImGui::Button("Resume", {w, 0.0f});
    probe_item("Welcome back/Resume");
    if (resume) {
        if (const std::string error = lab.load(*m_file, m_base, "the last session");
            !error.empty()) {
            log.add(live::Level::kError, error, now());
        } else {
            log.add(live::Level::kInfo, "Resumed the last session.", now());
            resumed = true;
        }
        m_file.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    const bool fresh = ImGui::Button("Start fresh", {w, 0.0f});
    probe_item("Welcome back/Start fresh");
    if (m_file && (fresh || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false))) {
        m_file.reset();
        lab.transport().set_playing(true);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
    return resumed;
}

}  // namespace rl::app
