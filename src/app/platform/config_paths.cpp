#include "app/platform/config_paths.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

#include "io/atomic_file.hpp"

namespace rl::app {

namespace {

// The XDG spec says relative values are invalid and must be ignored.
std::optional<std::filesystem::path> absolute_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    std::filesystem::path path(value);
    if (!path.is_absolute()) return std::nullopt;
    return path;
}

bool valid_side(int side) {
    return side >= kMinWindowSide && side <= kMaxWindowSide;
}

}  // namespace

std::filesystem::path config_dir() {
    if (auto xdg = absolute_env("XDG_CONFIG_HOME")) return *xdg / "reinforce-lab";
    if (auto home = absolute_env("HOME")) return *home / ".config" / "reinforce-lab";
    return {};
}

namespace {

std::filesystem::path in_config_dir(const char* name) {
    const std::filesystem::path dir = config_dir();
    return dir.empty() ? std::filesystem::path() : dir / name;
}

std::string create_parent(const std::filesystem::path& file) {
    std::error_code error;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), error);
    if (error) return file.parent_path().string() + ": cannot create folder: " + error.message();
    return {};
}

}  // namespace

std::filesystem::path window_size_file() {
    return in_config_dir("window.txt");
}

std::filesystem::path export_folder_file() {
    return in_config_dir("export-folder.txt");
}

std::filesystem::path last_session_file() {
    return in_config_dir("last-session.json");
}

std::filesystem::path keep_refused_session(const std::filesystem::path& file, std::string& error) {
    constexpr int kMaxKept = 1000;
    for (int n = 1; n <= kMaxKept; ++n) {
        std::filesystem::path kept = file;
        kept.replace_extension(n == 1 ? ".refused.json"
                                      : ".refused-" + std::to_string(n) + ".json");
        // A hard link never replaces a file, so an earlier refused session stays.
        std::error_code ec;
        std::filesystem::create_hard_link(file, kept, ec);
        if (ec == std::errc::file_exists) continue;
        if (ec) {
            error = file.string() + ": cannot keep it aside: " + ec.message();
            return {};
        }
        std::filesystem::remove(file, ec);
        return kept;
    }
    error = file.string() + ": cannot keep it aside: " + std::to_string(kMaxKept) +
            " refused sessions are already kept there";
    return {};
}

std::optional<std::filesystem::path> load_export_folder(const std::filesystem::path& file) {
    if (file.empty()) return std::nullopt;
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line) || line.empty()) return std::nullopt;
    return std::filesystem::path(line);
}

std::string save_export_folder(const std::filesystem::path& folder,
                               const std::filesystem::path& file) {
    if (file.empty())
        return "cannot remember the export folder: no config folder (HOME is not set)";
    if (const std::string error = create_parent(file); !error.empty()) return error;
    return io::write_file_atomically(file, folder.string() + "\n");
}

std::optional<std::pair<int, int>> load_window_size(const std::filesystem::path& file) {
    if (file.empty()) return std::nullopt;
    std::ifstream in(file);
    int width = 0;
    int height = 0;
    if (!(in >> width >> height)) return std::nullopt;
    if (!valid_side(width) || !valid_side(height)) return std::nullopt;
    return std::pair{width, height};
}

std::string save_window_size(int width, int height, const std::filesystem::path& file) {
    if (file.empty()) return "cannot save the window size: no config folder (HOME is not set)";
    if (!valid_side(width) || !valid_side(height)) {
        return "cannot save the window size " + std::to_string(width) + "x" +
               std::to_string(height) + ": outside " + std::to_string(kMinWindowSide) + ".." +
               std::to_string(kMaxWindowSide);
    }
    if (const std::string error = create_parent(file); !error.empty()) return error;
    return io::write_file_atomically(file,
                                     std::to_string(width) + " " + std::to_string(height) + "\n");
}

}  // namespace rl::app
