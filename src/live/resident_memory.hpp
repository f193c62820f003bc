#pragma once

#include <cstddef>
#include <optional>

namespace rl::live {

// The process's resident set size in bytes, from /proc/self/statm; empty where that cannot be
// read (not Linux), so a caller can say so instead of reporting a made-up figure.
std::optional<std::size_t> resident_bytes();

}  // namespace rl::live
