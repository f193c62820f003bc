#include "io/settings_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <vector>

#include "core/choices.hpp"
#include "core/settings_fields.hpp"

namespace rl::io::json {

void fail(std::string field, std::string reason) {
    throw FieldError{std::move(field), std::move(reason)};
}

FieldError nested(const std::string& prefix, const FieldError& e) {
    if (e.field.empty()) return {{}, prefix + "." + e.reason};
    return {prefix + "." + e.field, e.reason};
}

std::string number_text(const Json& v) {
    if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v.get<double>());
    return std::string(buffer, result.ptr);
}

std::string type_name(const Json& v) {
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    if (v.is_boolean()) return "true/false";
    if (v.is_null()) return "null";
    if (v.is_array()) return "a list";
    return "an object";
}

std::string string_of(const Json& v, const std::string& field) {
    if (!v.is_string()) fail(field, "must be a string, got " + type_name(v));
    return v.get<std::string>();
}

namespace {

using core::FieldKind;
using core::FieldValue;

bool contains(std::span<const std::string_view> list, std::string_view key) {
    return std::find(list.begin(), list.end(), key) != list.end();
}

double number_of(const Json& v, const std::string& field) {
    if (!v.is_number()) fail(field, "must be a number, got " + type_name(v));
    return v.get<double>();
}

std::string action_field(std::size_t index, std::string_view key) {
    return "actions[" + std::to_string(index) + "]." + std::string(key);
}

void check(const std::string& error) {
    // The checks' messages already start with the field.
    if (!error.empty()) throw FieldError{{}, error};
}

// A field's value from its JSON form: numbers as numbers, choices and text as strings, lists as
// lists of numbers. Fails naming `key` when the JSON is of another type.
FieldValue value_of(FieldKind kind, const Json& v, const std::string& key) {
    switch (kind) {
        case FieldKind::kWhole:
        case FieldKind::kNumber:
            return number_of(v, key);
        case FieldKind::kSeed: {
            if (v.is_number_unsigned()) return v.get<std::uint64_t>();
            if (!v.is_number()) fail(key, "must be a number, got " + type_name(v));
            // A whole number written with an exponent is the same seed; a negative or fractional
            // one gets the field's own message.
            FieldValue seed;
            const std::string text = v.is_number_integer() ? "-" : number_text(v);
            check(core::parse_field_text(core::field("seed"), text, seed, key));
            return seed;
        }
        case FieldKind::kChoice:
        case FieldKind::kText:
            return string_of(v, key);
        case FieldKind::kList: {
            if (!v.is_array()) fail(key, "must be a list of numbers, got " + type_name(v));
            if (v.empty()) fail(key, "must not be empty (leave it out to use the initial policy)");
            std::vector<double> values;
            for (std::size_t i = 0; i < v.size(); ++i)
                values.push_back(number_of(v[i], key + "[" + std::to_string(i) + "]"));
            return values;
        }
    }
    fail(key, "cannot be read");
}

Json json_of(FieldKind kind, const FieldValue& value) {
    switch (kind) {
        case FieldKind::kWhole:
            return static_cast<long long>(std::get<double>(value));
        case FieldKind::kNumber:
            return std::get<double>(value);
        case FieldKind::kSeed:
            return std::get<std::uint64_t>(value);
        case FieldKind::kChoice:
        case FieldKind::kText:
            return std::get<std::string>(value);
        case FieldKind::kList:
            return std::get<std::vector<double>>(value);
    }
    return nullptr;
}

constexpr std::string_view kVocabularyKeys[] = {"N", "zipf_s", "good_every", "good_reward",
                                                "other_reward"};

struct InitialPolicy {
    std::vector<std::optional<double>> probs, logits;
};

// Reads the action rows `j` holds into action 0 of `one`, each named `where`.KEY.
void read_action_row(const Json& j, const std::string& where, const core::ActionField& f,
                     core::Settings& one) {
    const std::string field = where + "." + std::string(f.key);
    const FieldValue v = value_of(f.kind, j[std::string(f.key)], field);
    if (f.kind == FieldKind::kChoice || f.kind == FieldKind::kWhole)
        check(core::check_action_field(f, one, 0, v, field));
    f.set(one, 0, v);
}

}  // namespace

core::RewardModel reward_from_json(const Json& j, const std::string& where) {
    // The reward rows work on a settings object that holds only this one.
    core::Settings one;
    one.actions.resize(1);
    if (!j.contains("reward")) fail(where + ".reward", "missing (fixed, gaussian or bernoulli)");
    read_action_row(j, where, core::action_field("reward"), one);
    const core::RewardKind kind = one.actions[0].reward.kind;
    const std::string kind_name(core::to_string(kind));
    for (const core::ActionField& f : core::kActionFields) {
        if (f.reward_kinds == 0) continue;  // not a reward field
        const bool present = j.contains(std::string(f.key));
        const bool wanted = core::action_has_field(f, kind);
        if (wanted && !present)
            fail(where + "." + std::string(f.key), "missing (a " + kind_name + " reward needs it)");
        if (!wanted && present)
            fail(where + "." + std::string(f.key), "not used by a " + kind_name + " reward");
        if (wanted) read_action_row(j, where, f, one);
    }
    // The ranges are checked with the rest: validate() for actions, the table's own check.
    return one.actions[0].reward;
}

void reward_to_json(const core::RewardModel& reward, Json& out) {
    core::Settings one;
    one.actions.resize(1);
    one.actions[0].reward = reward;
    for (const core::ActionField& f : core::kActionFields)
        if (f.key == "reward" || (f.reward_kinds != 0 && core::action_has_field(f, reward.kind)))
            out[std::string(f.key)] = json_of(f.kind, f.get(one, 0));
}

namespace {

constexpr std::string_view kByPosition = "by_position";

std::size_t whole_of(const Json& v, const std::string& field, std::size_t lo, std::size_t hi);

// A token's rewards at given positions: [{"position": P, "reward": ..., its fields}, ...].
std::vector<core::PositionReward> read_by_position(const Json& j, const std::string& where) {
    if (!j.is_array()) fail(where, "must be a list, got " + type_name(j));
    std::vector<core::PositionReward> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string item = where + "[" + std::to_string(i) + "]";
        if (!j[i].is_object()) fail(item, "must be an object, got " + type_name(j[i]));
        for (const auto& [key, value] : j[i].items()) {
            const core::ActionField* f = core::find_action_field(key);
            if (key != "position" && !(f && (f->key == "reward" || f->reward_kinds != 0)))
                fail(item + "." + key, "unknown key (expected position, reward and its fields)");
        }
        if (!j[i].contains("position")) fail(item + ".position", "missing");
        core::PositionReward p;
        p.position = static_cast<int>(whole_of(j[i]["position"], item + ".position", 1,
                                               static_cast<std::size_t>(core::limits::kMaxLength)));
        p.reward = reward_from_json(j[i], item);
        out.push_back(p);
    }
    return out;
}

Json by_position_to_json(const std::vector<core::PositionReward>& list) {
    Json out = Json::array();
    for (const core::PositionReward& p : list) {
        Json one;
        one["position"] = p.position;
        reward_to_json(p.reward, one);
        out.push_back(std::move(one));
    }
    return out;
}

// `rewarded`: whether the action pays its own reward (a table's moves pay instead). Its
// by_position list goes to `by_position`, to be attached once the length is known.
core::ActionSpec read_action(const Json& j, std::size_t index, InitialPolicy& init, bool rewarded,
                             std::vector<core::PositionReward>& by_position) {
    const std::string where = "actions[" + std::to_string(index) + "]";
    if (!j.is_object()) fail(where, "must be an object, got " + type_name(j));
    for (const auto& [key, value] : j.items()) {
        if (key == kByPosition) continue;
        const core::ActionField* f = core::find_action_field(key);
        if (f == nullptr)
            fail(action_field(index, key),
                 "unknown key (expected " + core::action_field_keys() + ")");
        if (!rewarded && (f->key == "reward" || f->reward_kinds != 0))
            fail(action_field(index, key), "a table's moves pay the rewards, not its actions");
    }
    core::Settings one;
    one.actions.resize(1);
    if (!j.contains("name")) fail(action_field(index, "name"), "missing");
    read_action_row(j, where, core::action_field("name"), one);
    if (j.contains("marked")) read_action_row(j, where, core::action_field("marked"), one);
    if (rewarded) one.actions[0].reward = reward_from_json(j, where);
    if (j.contains(kByPosition))
        by_position = read_by_position(j[std::string(kByPosition)], where + ".by_position");

    if (j.contains("prob") && j.contains("logit"))
        fail(where, "give either prob or logit, not both");
    if (j.contains("prob")) init.probs[index] = number_of(j["prob"], action_field(index, "prob"));
    if (j.contains("logit"))
        init.logits[index] = number_of(j["logit"], action_field(index, "logit"));
    return std::move(one.actions[0]);
}

std::size_t count_given(const std::vector<std::optional<double>>& values) {
    return static_cast<std::size_t>(
        std::count_if(values.begin(), values.end(), [](const auto& v) { return v.has_value(); }));
}

std::vector<double> initial_logits(const InitialPolicy& init, core::Parameterization param) {
    const std::size_t n = init.probs.size();
    const std::size_t with_prob = count_given(init.probs);
    const std::size_t with_logit = count_given(init.logits);
    if (with_prob == 0 && with_logit == 0) return std::vector<double>(n, 0.0);  // uniform
    if (with_prob > 0 && with_logit > 0)
        fail("actions", "give the initial policy either as prob or as logit for every action");
    const auto& given = with_prob > 0 ? init.probs : init.logits;
    const char* key = with_prob > 0 ? "prob" : "logit";
    for (std::size_t i = 0; i < n; ++i) {
        if (!given[i])
            fail(action_field(i, key), std::string("missing (other actions give one; give ") + key +
                                           " for all actions or for none)");
    }

    if (with_logit > 0) {
        std::vector<double> logits(n);
        for (std::size_t i = 0; i < n; ++i)
            logits[i] = *init.logits[i];
        if (param == core::Parameterization::kPinnedLast && logits.back() != 0.0)
            fail(action_field(n - 1, "logit"), "the last logit is pinned at 0");
        return logits;
    }
    std::vector<double> probs(n);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        probs[i] = *init.probs[i];
        if (!(probs[i] > 0.0)) fail(action_field(i, "prob"), "must be positive");
        total += probs[i];
    }
    if (std::abs(total - 1.0) > 1e-6) {
        std::ostringstream os;
        os << "must sum to 1 (they sum to " << total << ")";
        fail("actions[].prob", os.str());
    }
    for (double& p : probs)
        p /= total;
    return core::logits_from_probabilities(probs, param);
}

std::size_t whole_of(const Json& v, const std::string& field, std::size_t lo, std::size_t hi) {
    const std::string range =
        "must be a whole number between " + std::to_string(lo) + " and " + std::to_string(hi);
    if (!v.is_number()) fail(field, range + ", got " + type_name(v));
    const double x = v.get<double>();
    if (x != std::floor(x) || x < static_cast<double>(lo) || x > static_cast<double>(hi))
        fail(field, range);
    return static_cast<std::size_t>(x);
}

// Every field is required: a file that leaves one out would depend on defaults that may change,
// and the generated actions must be the same wherever the file is read.
core::VocabularySpec read_vocabulary(const Json& j) {
    if (!j.is_object()) fail("vocabulary", "must be an object, got " + type_name(j));
    for (const auto& [key, value] : j.items()) {
        if (!contains(kVocabularyKeys, key))
            fail("vocabulary." + key,
                 "unknown key (expected N, zipf_s, good_every, good_reward and other_reward)");
    }
    for (std::string_view key : kVocabularyKeys) {
        if (!j.contains(key)) fail("vocabulary." + std::string(key), "missing");
    }
    core::VocabularySpec v;
    v.N = whole_of(j["N"], "vocabulary.N", core::limits::kMinActions, core::limits::kMaxActions);
    v.zipf_s = number_of(j["zipf_s"], "vocabulary.zipf_s");
    v.good_every = whole_of(j["good_every"], "vocabulary.good_every", 1, v.N);
    v.good_reward = number_of(j["good_reward"], "vocabulary.good_reward");
    v.other_reward = number_of(j["other_reward"], "vocabulary.other_reward");
    // check_vocabulary's messages already start with the field.
    if (std::string e = core::check_vocabulary(v); !e.empty()) throw FieldError{{}, e};
    return v;
}

Json actions_to_json(const core::Settings& s) {
    Json actions = Json::array();
    const bool rewarded = s.problem != core::ProblemKind::kTable;
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        Json action;
        for (const core::ActionField& f : core::kActionFields) {
            // The initial policy is written as logits.
            if (f.key == "prob" || !core::action_has_field(f, s.actions[i].reward.kind)) continue;
            if (f.episodes_only && !core::is_episodic(s)) continue;
            if (!rewarded && (f.key == "reward" || f.reward_kinds != 0)) continue;
            action[std::string(f.key)] = json_of(f.kind, f.get(s, i));
        }
        if (!s.actions[i].by_position.empty())
            action[std::string(kByPosition)] = by_position_to_json(s.actions[i].by_position);
        actions.push_back(std::move(action));
    }
    return actions;
}

Json vocabulary_to_json(const core::VocabularySpec& v) {
    Json j;
    j["N"] = v.N;
    j["zipf_s"] = v.zipf_s;
    j["good_every"] = v.good_every;
    j["good_reward"] = v.good_reward;
    j["other_reward"] = v.other_reward;
    return j;
}

}  // namespace

core::Settings settings_from_json(const Json& j, std::span<const std::string_view> other_keys) {
    if (!j.is_object()) fail("settings", "must be a JSON object, got " + type_name(j));
    for (const auto& [key, value] : j.items()) {
        const core::SettingsField* f = core::find_field(key);
        const bool known =
            key == "actions" || key == "vocabulary" || key == "table" || (f && f->file_read);
        if (!known && !contains(other_keys, key)) fail(key, "unknown key");
    }
    if (j.contains("reference_probs") && j.contains("reference_logits"))
        fail("reference_probs", "give either reference_probs or reference_logits, not both");

    core::Settings s;
    std::vector<std::vector<core::PositionReward>> by_position;
    const auto read = [&](const core::SettingsField& f) {
        const std::string key(f.key);
        const FieldValue v = value_of(f.kind, j[key], key);
        check(core::check_field(f, s, v));
        f.set(s, v);
    };
    // First: the actions' probabilities become logits under it, and a table's actions pay
    // nothing themselves.
    if (j.contains("parameterization")) read(core::field("parameterization"));
    if (j.contains("problem")) read(core::field("problem"));
    const bool rewarded = s.problem != core::ProblemKind::kTable;

    if (j.contains("vocabulary")) {
        if (j.contains("actions"))
            fail("vocabulary", "give either vocabulary or actions, not both");
        core::apply_vocabulary(s, read_vocabulary(j["vocabulary"]));
    } else {
        if (!j.contains("actions")) fail("actions", "missing (a list of at least 2 actions)");
        const Json& actions = j["actions"];
        if (!actions.is_array()) fail("actions", "must be a list, got " + type_name(actions));
        InitialPolicy init;
        init.probs.resize(actions.size());
        init.logits.resize(actions.size());
        by_position.resize(actions.size());
        for (std::size_t i = 0; i < actions.size(); ++i)
            s.actions.push_back(read_action(actions[i], i, init, rewarded, by_position[i]));
        if (s.actions.size() < core::limits::kMinActions)
            fail("actions", "need at least " + std::to_string(core::limits::kMinActions) +
                                " actions, got " + std::to_string(s.actions.size()));
        s.init_logits = initial_logits(init, s.parameterization);
    }
    if (j.contains("table")) {
        if (rewarded) fail("table", "only a problem = table has one");
        s.table = table_from_json(j["table"], s.actions.size());
    }
    // The action list must be valid before the fields whose checks depend on it.
    check(core::validate(s));
    for (const core::SettingsField& f : core::kSettingsFields) {
        if (f.file_read && f.key != "parameterization" && f.key != "problem" &&
            j.contains(std::string(f.key)))
            read(f);
    }
    // Positions are checked against the length, read just above.
    for (std::size_t i = 0; i < by_position.size(); ++i)
        s.actions[i].by_position = std::move(by_position[i]);
    check(core::validate(s));
    return s;
}

Json settings_to_json(const core::Settings& s) {
    Json j;
    for (const core::SettingsField& f : core::kSettingsFields) {
        if (!f.file_write || (f.episodes_only && !core::is_episodic(s))) continue;
        const FieldValue v = f.get(s);
        const auto* list = std::get_if<std::vector<double>>(&v);
        if (!(f.skip_empty && list && list->empty())) j[std::string(f.key)] = json_of(f.kind, v);
        // The actions follow the settings that say how to read them.
        if (f.key != "parameterization") continue;
        if (const core::VocabularySpec* v = core::compact_vocabulary(s)) {
            j["vocabulary"] = vocabulary_to_json(*v);
        } else {
            j["actions"] = actions_to_json(s);
        }
    }
    if (s.table) j["table"] = table_to_json(*s.table);
    return j;
}

}  // namespace rl::io::json
