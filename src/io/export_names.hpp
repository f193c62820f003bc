#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

// Names and places for exported files (PNG, SVG, CSV), so that exports sort by time and never
// need quoting in a shell.
namespace rl::io {

// "<preset>_<plot>_<YYYYMMDD-HHMMSS>.<ext>" in local time. Preset, plot and extension keep
// [A-Za-z0-9_-], lower-cased; other characters become '-'. An empty preset is "session"; an
// empty plot leaves its part out (a whole-window export).
std::string export_file_name(std::string_view preset, std::string_view plot, std::string_view ext,
                             std::chrono::system_clock::time_point t);

// One part of a file name: [A-Za-z0-9_-] kept and lower-cased, anything else '-' ("Policy now"
// -> "policy-now"). The same on every machine (no locale).
std::string file_name_part(std::string_view text);

// $XDG_PICTURES_DIR when set, else ~/Pictures when it exists, else $HOME, else the current
// folder; followed by "reinforce-lab". The folder may not exist yet.
std::filesystem::path default_export_folder();

}  // namespace rl::io
