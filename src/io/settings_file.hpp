#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/settings.hpp"

// Session files (docs/SESSION.md) read for their settings alone; session_file.hpp reads the
// rest (the step reached, the settings history, the lesson).
namespace rl::io {

// The version this build writes; it also reads version 1.
inline constexpr int kSessionFormatVersion = 3;

// A session, or the reason there is none: "SOURCE: field: reason" on one line.
struct SettingsResult {
    std::optional<core::Settings> settings;
    std::string error;

    explicit operator bool() const { return settings.has_value(); }
};

// `source` names the text in error messages (a file path or a preset name). Scalar fields go
// through rl::core::set_field and the result through rl::core::validate, so files and --set share
// one set of rules. The whole document is checked, so a file with a bad history or lesson is
// refused.
SettingsResult settings_from_json_text(std::string_view text, std::string_view source);
SettingsResult read_settings_file(const std::filesystem::path& path);

// Replaces `target` only when the file is valid; returns the error otherwise (empty on success).
std::string load_settings_file(const std::filesystem::path& path, core::Settings& target);

// The initial policy is written as logits, every double to full round-trip precision.
std::string settings_to_json_text(const core::Settings& s);
// Atomic (temporary file, then rename); returns an error message, empty on success.
std::string write_settings_file(const std::filesystem::path& path, const core::Settings& s);

}  // namespace rl::io
