#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rl::io {

// Writes `contents` to `path` so that readers see either the old file or the whole new one, never
// a half-written file: it writes a temporary in the same folder and renames it over the target.
// Returns an empty string on success, otherwise a message naming the path and the system's reason.
std::string write_file_atomically(const std::filesystem::path& path, std::string_view contents);

struct NewFileResult {
    std::filesystem::path path;  // the name the file got; empty on failure
    std::string error;           // empty on success
};

// Writes `contents` under `wanted`, or under stem-2.ext, stem-3.ext, ... when that name is taken:
// an existing file is never replaced, not even by a race with another writer. The whole file
// appears at once (a temporary in the same folder, published under its name when complete); on
// failure nothing is left behind and the message names the path and the system's reason.
NewFileResult write_new_file(const std::filesystem::path& wanted, std::string_view contents);

}  // namespace rl::io
