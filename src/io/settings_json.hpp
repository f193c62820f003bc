#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "core/settings.hpp"

// The settings object of a session file (docs/SESSION.md), shared by the top level of a file and
// its history entries. Internal to src/io: it exposes nlohmann types, which the public headers
// keep out of their users' builds.
namespace rl::io::json {

using Json = nlohmann::ordered_json;

// Carries "field: reason" up to the one place that adds the source name, so the many checks stay
// flat. An empty field means the reason already starts with one (set_field's messages do).
struct FieldError {
    std::string field;
    std::string reason;
};

[[noreturn]] void fail(std::string field, std::string reason);

// Puts `prefix` in front of the field an error names, for objects nested in a file.
FieldError nested(const std::string& prefix, const FieldError& e);

// "a number", "a string", ... for messages.
std::string type_name(const Json& v);

// The string `v` holds; anything else fails naming `field`.
std::string string_of(const Json& v, const std::string& field);

// The exact text of a JSON number, so that set_field parses back the very same double: integers
// without a decimal point, others at round-trip precision.
std::string number_text(const Json& v);

// Reads a settings object. Keys in `other_keys` belong to the caller and are skipped; any other
// key that is not a setting is refused. Throws FieldError.
core::Settings settings_from_json(const Json& j, std::span<const std::string_view> other_keys);

// Every setting, the initial policy as logits, every double at full round-trip precision.
Json settings_to_json(const core::Settings& s);

// A reward model from the keys of `j` an action's reward has (reward, value, mean, ...), the
// others ignored; fields are named `where`.KEY. Throws FieldError.
core::RewardModel reward_from_json(const Json& j, const std::string& where);
// Writes the keys reward_from_json reads.
void reward_to_json(const core::RewardModel& reward, Json& out);

// An episodic table (io/table_json.cpp, docs/SESSION.md), played with `actions` actions.
core::EpisodeTableSpec table_from_json(const Json& j, std::size_t actions);
Json table_to_json(const core::EpisodeTableSpec& table);

}  // namespace rl::io::json
