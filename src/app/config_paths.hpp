#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

// Where REINFORCE Lab keeps its per-user settings (ImGui's layout, the last window size).
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

inline constexpr int kMinWindowSide = 200;
inline constexpr int kMaxWindowSide = 16384;

}  // namespace rl::app
