#include "io/presets.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <system_error>
#include <utility>

namespace rl::io {

namespace {

std::filesystem::path presets_folder(const AssetDir& assets) {
    return assets.path / "presets";
}

}  // namespace

AssetDir find_asset_dir() {
    std::error_code ec;
    const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
    return find_asset_dir(ec ? std::filesystem::path() : program);
}

AssetDir find_asset_dir(const std::filesystem::path& program) {
    if (const char* env = std::getenv("RL_ASSET_DIR"); env != nullptr && *env != '\0')
        return {env, "RL_ASSET_DIR"};
    if (!program.empty()) {
        const std::filesystem::path root = program.parent_path().parent_path();
        std::error_code ec;
        // A build tree's program sits beside assets/ (the build root's parent is the source tree
        // for an in-tree build folder), so a developer's edits to a preset are what it loads.
        const std::filesystem::path beside = root / "assets";
        if (std::filesystem::is_directory(beside, ec)) return {beside, "next to the program"};
        // An installed or unpacked package: PREFIX/bin/reinforce-lab reads
        // PREFIX/share/reinforce-lab, wherever PREFIX is, so an unpacked .deb works unmoved.
        const std::filesystem::path installed = root / "share" / "reinforce-lab";
        if (std::filesystem::is_directory(installed, ec))
            return {installed, "installed beside the program"};
    }
    return {RL_ASSET_DIR_DEFAULT, "the build's source tree"};
}

namespace {

std::vector<PresetFile> presets_in(const std::filesystem::path& folder) {
    std::vector<PresetFile> presets;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        if (entry.path().extension() != ".json") continue;
        presets.push_back({entry.path().stem().string(), entry.path()});
    }
    std::sort(presets.begin(), presets.end(),
              [](const PresetFile& a, const PresetFile& b) { return a.name < b.name; });
    return presets;
}

}  // namespace

std::vector<PresetFile> list_presets(const AssetDir& assets) {
    return presets_in(presets_folder(assets));
}

std::vector<PresetFile> list_episode_presets(const AssetDir& assets) {
    return presets_in(presets_folder(assets) / "episodes");
}

namespace {

// The preset's file, or the message saying which presets there are.
std::optional<std::filesystem::path> find_preset(const AssetDir& assets, std::string_view name,
                                                 std::string& error) {
    std::vector<PresetFile> presets = list_presets(assets);
    for (PresetFile& p : list_episode_presets(assets))
        presets.push_back(std::move(p));
    const auto it = std::find_if(presets.begin(), presets.end(),
                                 [&](const PresetFile& p) { return p.name == name; });
    if (it == presets.end()) {
        // The folder and how it was found, so a wrong or stale install is visible from the
        // message alone.
        const std::string where =
            presets_folder(assets).string() + " (assets found via " + assets.origin + ")";
        std::string message = "preset '" + std::string(name) + "' not found; ";
        if (presets.empty()) {
            message += "no presets in " + where;
        } else {
            message += "presets in " + where + ":";
            for (std::size_t i = 0; i < presets.size(); ++i)
                message += (i == 0 ? " " : ", ") + presets[i].name;
        }
        error = message;
        return std::nullopt;
    }
    return it->path;
}

}  // namespace

SettingsResult load_preset(const AssetDir& assets, std::string_view name) {
    SessionFileResult document = load_preset_file(assets, name);
    if (!document) return {std::nullopt, document.error};
    return {std::move(document.document->settings), {}};
}

SessionFileResult load_preset_file(const AssetDir& assets, std::string_view name) {
    std::string error;
    const std::optional<std::filesystem::path> path = find_preset(assets, name, error);
    if (!path) return {std::nullopt, error};
    SessionFileResult result = read_session_file(*path);
    // The file name is the preset's identity; a stale "preset" field inside must not override it.
    if (result) {
        result.document->settings.preset = std::string(name);
        for (SettingsChange& change : result.document->history)
            change.settings.preset = std::string(name);
    }
    return result;
}

}  // namespace rl::io
