#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/session_file.hpp"

// What each fuzz target checks for one input. The libFuzzer targets abort when a check fails; the
// doctest suite replays the saved inputs (tests/fuzz-regressions) through these same functions,
// so a regression test runs exactly what the fuzzer ran.
namespace rl::fuzz {

// Bytes read as a session file, the way the app opens one. Accepted: the session validates, the
// whole document passes check_session_file, and writing it out and reading that back gives the very
// same document (and the very same text again). Refused: a one-line message that starts with the
// source name and says what is wrong. Returns "" when every check holds, else what failed.
std::string check_document_input(std::string_view bytes);

// The first line names a preset (any other text picks one by its bytes); every further line is
// one --set argument, parsed by the command line's parser and applied as it applies them.
// Refused: a message naming --set, and the document unchanged. Accepted: the session validates,
// and it saves and loads back unchanged. Returns "" when every check holds, else what failed.
std::string check_set_input(std::string_view bytes, std::span<const io::SessionFile> presets);

// The preset documents the --set target starts from, in name order, loaded as --preset does;
// those of at most 1000 actions, so that an input takes milliseconds.
std::vector<io::SessionFile> set_input_presets();

// The first difference between two documents ("session.K: 1 vs 4"), or "" when they are equal.
std::string document_difference(const io::SessionFile& a, const io::SessionFile& b);

}  // namespace rl::fuzz
