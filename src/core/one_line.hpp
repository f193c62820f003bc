#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Every message a person reads (the window's message log, the command line's errors) is one line
// of bounded length: refusals quote what they refuse, and a hostile file can put megabytes or line
// breaks into a key, a value or an environment variable.
namespace rl::core {

// Enough for a path, a field and its reason; a quoted value beyond it is cut.
inline constexpr std::size_t kMaxMessageBytes = 400;

// `text` with control characters written as JSON escapes (\n, \t, \u001b) and, when longer than
// `max_bytes`, cut at a character boundary with " [cut: N bytes]" appended.
std::string one_line(std::string_view text, std::size_t max_bytes = kMaxMessageBytes);

}  // namespace rl::core
