#pragma once

#include <filesystem>
#include <map>
#include <set>
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

// Every name directly in `folder`, hidden ones and folders too: what a writer left shows here.
inline std::set<std::string> names_in(const std::filesystem::path& folder) {
    std::set<std::string> names;
    for (const std::filesystem::directory_entry& e : std::filesystem::directory_iterator(folder))
        names.insert(e.path().filename().string());
    return names;
}

}  // namespace rl_test
