#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

// Where REINFORCE Lab keeps its per-user settings (ImGui's layout, the last window size, the
// export folder, the last session).
namespace rl::app {

// $XDG_CONFIG_HOME/reinforce-lab, else $HOME/.config/reinforce-lab; empty when neither variable
// gives an absolute path, and then nothing is remembered between runs.
std::filesystem::path config_dir();

// config_dir()/window.txt, holding "width height"; empty when config_dir() is.
std::filesystem::path window_size_file();

// The size saved by save_window_size, or nothing when the file is missing, unreadable or holds a
// size outside [kMinWindowSide, kMaxWindowSide].
std::optional<std::pair<int, int>> load_window_size(
    const std::filesystem::path& file = window_size_file());

// Writes "width height" atomically, creating the folder. Returns "" or a one-line error.
std::string save_window_size(int width, int height,
                             const std::filesystem::path& file = window_size_file());

// config_dir()/export-folder.txt: the export folder the user chose, one line.
std::filesystem::path export_folder_file();
// The saved export folder, or nothing when none was saved.
std::optional<std::filesystem::path> load_export_folder(
    const std::filesystem::path& file = export_folder_file());
std::string save_export_folder(const std::filesystem::path& folder,
                               const std::filesystem::path& file = export_folder_file());

// config_dir()/last-session.json: the session saved on exit and offered on the next start.
std::filesystem::path last_session_file();

// Moves a last session the app refused out of the way, to last-session.refused.json beside it
// (or .refused-2.json, ... : an earlier one is never replaced), so that the next start does not
// refuse it again and the user still has it. Returns the new path, or empty with `error` set.
std::filesystem::path keep_refused_session(const std::filesystem::path& file, std::string& error);

inline constexpr int kMinWindowSide = 200;
inline constexpr int kMaxWindowSide = 16384;

}  // namespace rl::app
