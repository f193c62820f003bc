#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "io/session_file.hpp"
#include "io/settings_file.hpp"

namespace rl::io {

struct AssetDir {
    std::filesystem::path path;
    std::string origin;  // how it was found, for messages: "RL_ASSET_DIR", "next to the program"...
};

// RL_ASSET_DIR when set; else <program folder>/../assets when it exists (a build tree); else
// <program folder>/../share/reinforce-lab when it exists (installed, or a package unpacked
// anywhere); else the source tree's assets folder this build was configured with.
AssetDir find_asset_dir();
// The same lookup for a program at `program` (empty: none known), so the tests can lay out a
// build tree or an install without copying the binary.
AssetDir find_asset_dir(const std::filesystem::path& program);

struct PresetFile {
    std::string name;  // the file stem: what --preset takes
    std::filesystem::path path;
};

// assets/presets/*.json, sorted by name: the lessons the window offers. Empty when the folder is
// missing.
std::vector<PresetFile> list_presets(const AssetDir& assets);
// assets/presets/episodes/*.json: token sequences and episodic tables, which the window lists
// apart from the one-step lessons. --preset finds them too.
std::vector<PresetFile> list_episode_presets(const AssetDir& assets);

// The preset's session with `preset` set to its name. Unknown names get a message listing the
// available ones.
SettingsResult load_preset(const AssetDir& assets, std::string_view name);
// The whole preset file: its settings and its guided lesson.
SessionFileResult load_preset_file(const AssetDir& assets, std::string_view name);

}  // namespace rl::io
