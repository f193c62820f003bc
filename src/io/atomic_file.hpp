#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rl::io {

// Writes `contents` to `path` so that readers see either the old file or the whole new one, never
// a half-written file: it writes a temporary in the same folder and renames it over the target.
// Returns an empty string on success, otherwise a message naming the path and the system's reason.
std::string write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace rl::io
