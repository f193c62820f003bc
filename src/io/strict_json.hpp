#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "io/settings_json.hpp"

// The one JSON parser for every file the program reads. Stricter and safer than a plain parse:
// a document is read into memory only as deep as a session file can legitimately be, an object
// may not name a key twice (which value would win is a guess the format refuses to make), and an
// object has at most as many keys as any part of the format needs. Nothing deeper or larger is
// ever built, so no input can exhaust the stack or the memory while it is being refused.
namespace rl::io::json {

struct ParseLimits {
    // A session file nests seven levels (document, history, entry, settings, actions, action,
    // a list); the margin leaves room for the format to grow.
    std::size_t max_depth = 32;
    // The settings object has a few dozen keys, a lesson step's "set" fewer than that.
    std::size_t max_keys_per_object = 4096;
    // Names, titles and lesson texts are short; a longer string is not a session file's.
    std::size_t max_string_bytes = std::size_t{1} << 20;
};

// Parses `text` into `out`. Returns "" on success, else one line saying what is wrong and where: an
// invalid token, a duplicate key (named), nesting or key count beyond the limits, a string beyond
// max_string_bytes. `out` is left null on failure.
std::string parse_strict(std::string_view text, Json& out, const ParseLimits& limits = {});

}  // namespace rl::io::json
