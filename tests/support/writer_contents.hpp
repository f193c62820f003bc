#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace rl_test {

// What the kill-writer helper writes: numbered 32-byte lines, so a file cut anywhere differs from
// the whole one and a test can tell which it got.
inline std::string writer_contents(std::size_t bytes) {
    std::string text;
    text.reserve(bytes + 32);
    char line[40];
    for (std::size_t n = 0; text.size() < bytes; ++n) {
        std::snprintf(line, sizeof line, "line %025zu\n", n);
        text += line;
    }
    text.resize(bytes);
    return text;
}

}  // namespace rl_test
