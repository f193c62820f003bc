#include "io/export_names.hpp"

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <system_error>

namespace rl::io {

namespace {

constexpr const char* kFolderName = "reinforce-lab";

const char* environment(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

std::string file_name_part(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        // isalnum is locale-dependent; exported names must be the same on every machine.
        const bool keep = (u < 0x80 && std::isalnum(u) != 0) || c == '_' || c == '-';
        out += keep ? static_cast<char>(std::tolower(u)) : '-';
    }
    return out;
}

std::string export_file_name(std::string_view preset, std::string_view plot, std::string_view ext,
                             std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm local{};
    ::localtime_r(&seconds, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);

    std::string name = preset.empty() ? "session" : file_name_part(preset);
    if (!plot.empty()) {
        name += '_';
        name += file_name_part(plot);
    }
    name += '_';
    name += stamp;
    if (ext.starts_with('.')) ext.remove_prefix(1);
    if (!ext.empty()) {
        name += '.';
        name += file_name_part(ext);
    }
    return name;
}

std::filesystem::path default_export_folder() {
    if (const char* pictures = environment("XDG_PICTURES_DIR"))
        return std::filesystem::path(pictures) / kFolderName;
    if (const char* home = environment("HOME")) {
        const std::filesystem::path in_pictures = std::filesystem::path(home) / "Pictures";
        std::error_code ec;
        if (std::filesystem::is_directory(in_pictures, ec)) return in_pictures / kFolderName;
        return std::filesystem::path(home) / kFolderName;
    }
    std::error_code ec;
    const std::filesystem::path here = std::filesystem::current_path(ec);
    return (ec ? std::filesystem::path(".") : here) / kFolderName;
}

}  // namespace rl::io
