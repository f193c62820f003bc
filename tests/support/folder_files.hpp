#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "support/run_app.hpp"

namespace rl_test {

// Every file directly in `folder` (hidden ones, a leftover temporary, included) with its contents.
inline std::map<std::string, std::string> files_in(const std::filesystem::path& folder) {
    std::map<std::string, std::string> files;
    for (const std::filesystem::directory_entry& e : std::filesystem::directory_iterator(folder))
        files[e.path().filename().string()] = read_text(e.path());
    return files;
}

}  // namespace rl_test
