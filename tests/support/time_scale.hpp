#pragma once

// Wall-clock limits in tests catch hangs; they are not speed tests. A build that is slower
// throughout (the sanitizer build sets RL_TEST_TIME_SCALE, e.g. 10) multiplies them instead of
// dropping the check. Unset, empty or not a number of at least 1 means 1.

#include <chrono>
#include <cstdlib>

namespace rl_test {

inline double time_scale() {
    const char* text = std::getenv("RL_TEST_TIME_SCALE");
    if (text == nullptr) return 1.0;
    char* end = nullptr;
    const double scale = std::strtod(text, &end);
    return end != text && *end == '\0' && scale >= 1.0 ? scale : 1.0;
}

inline std::chrono::duration<double> scaled_seconds(double seconds) {
    return std::chrono::duration<double>(seconds * time_scale());
}

}  // namespace rl_test
