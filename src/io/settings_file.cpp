#include "io/settings_file.hpp"

#include "io/atomic_file.hpp"
#include "io/session_file.hpp"

namespace rl::io {

// A session file is a document whose settings are all these callers want; reading the whole
// document keeps one set of rules, so a file the GUI loads is one the command line loads.
SettingsResult settings_from_json_text(std::string_view text, std::string_view source) {
    SessionFileResult result = session_file_from_json_text(text, source);
    if (!result) return {std::nullopt, std::move(result.error)};
    return {std::move(result.document->settings), {}};
}

SettingsResult read_settings_file(const std::filesystem::path& path) {
    SessionFileResult result = read_session_file(path);
    if (!result) return {std::nullopt, std::move(result.error)};
    return {std::move(result.document->settings), {}};
}

std::string load_settings_file(const std::filesystem::path& path, core::Settings& target) {
    SettingsResult result = read_settings_file(path);
    if (!result) return result.error;
    target = std::move(*result.settings);
    return {};
}

std::string settings_to_json_text(const core::Settings& s) {
    SessionFile document;
    document.settings = s;
    return session_file_to_json_text(document);
}

std::string write_settings_file(const std::filesystem::path& path, const core::Settings& s) {
    return write_file_atomically(path, settings_to_json_text(s));
}

}  // namespace rl::io
