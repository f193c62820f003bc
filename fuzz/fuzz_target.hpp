#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace rl::fuzz {

// A failed check is a crash to libFuzzer: it saves the input and stops.
inline void abort_on_failure(const std::string& failure) {
    if (failure.empty()) return;
    std::fprintf(stderr, "fuzz check failed: %s\n", failure.c_str());
    std::abort();
}

}  // namespace rl::fuzz
