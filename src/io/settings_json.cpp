#include "io/settings_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <vector>

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

// Read from the file's structure rather than through set_field: they shape the action list.
constexpr std::string_view kStructuralKeys[] = {
    "preset", "parameterization", "actions", "vocabulary", "reference_probs", "reference_logits"};
// --set conveniences; a file gives the initial policy per action instead.
constexpr std::string_view kSetOnlyKeys[] = {"init_logits", "init_probs"};
// set_field keys whose file value is a JSON string; every other one is a number.
constexpr std::string_view kTextKeys[] = {"title", "description", "baseline", "running_mode",
                                          "kl_mode"};

constexpr std::string_view kVocabularyKeys[] = {"N", "zipf_s", "good_every", "good_reward",
                                                "other_reward"};

constexpr std::string_view kActionKeys[] = {"name", "reward", "value", "mean", "sd",
                                            "p",    "lo",     "hi",    "prob", "logit"};

bool contains(std::span<const std::string_view> list, std::string_view key) {
    return std::find(list.begin(), list.end(), key) != list.end();
}

bool is_set_field_key(std::string_view key) {
    const std::vector<std::string> names = core::scalar_field_names();
    return std::find(names.begin(), names.end(), key) != names.end() &&
           !contains(kStructuralKeys, key) && !contains(kSetOnlyKeys, key);
}

double number_of(const Json& v, const std::string& field) {
    if (!v.is_number()) fail(field, "must be a number, got " + type_name(v));
    return v.get<double>();
}

std::string action_field(std::size_t index, std::string_view key) {
    return "actions[" + std::to_string(index) + "]." + std::string(key);
}

// The fields each reward kind reads; any other reward field in the same action is a mistake.
std::vector<std::string_view> reward_fields(core::RewardKind kind) {
    switch (kind) {
        case core::RewardKind::kGaussian:
            return {"mean", "sd"};
        case core::RewardKind::kBernoulli:
            return {"p", "lo", "hi"};
        case core::RewardKind::kFixed:
        default:
            return {"value"};
    }
}

double* reward_member(core::RewardModel& r, std::string_view key) {
    if (key == "value") return &r.value;
    if (key == "mean") return &r.mean;
    if (key == "sd") return &r.sd;
    if (key == "p") return &r.p;
    if (key == "lo") return &r.lo;
    if (key == "hi") return &r.hi;
    return nullptr;
}

struct InitialPolicy {
    std::vector<std::optional<double>> probs, logits;
};

core::ActionSpec read_action(const Json& j, std::size_t index, InitialPolicy& init) {
    const std::string where = "actions[" + std::to_string(index) + "]";
    if (!j.is_object()) fail(where, "must be an object, got " + type_name(j));
    for (const auto& [key, value] : j.items()) {
        if (!contains(kActionKeys, key))
            fail(action_field(index, key),
                 "unknown key (expected name, reward, value, mean, sd, p, lo, hi, prob or logit)");
    }
    core::ActionSpec a;
    if (!j.contains("name")) fail(action_field(index, "name"), "missing");
    a.name = string_of(j["name"], action_field(index, "name"));
    if (!j.contains("reward"))
        fail(action_field(index, "reward"), "missing (fixed, gaussian or bernoulli)");
    const std::string kind = string_of(j["reward"], action_field(index, "reward"));
    if (!core::parse_reward_kind(kind, a.reward.kind))
        fail(action_field(index, "reward"), "must be one of fixed, gaussian, bernoulli");

    const std::vector<std::string_view> used = reward_fields(a.reward.kind);
    for (const char* key : {"value", "mean", "sd", "p", "lo", "hi"}) {
        const bool present = j.contains(key);
        const bool wanted = std::find(used.begin(), used.end(), key) != used.end();
        if (wanted && !present)
            fail(action_field(index, key), "missing (a " + kind + " reward needs it)");
        if (!wanted && present) fail(action_field(index, key), "not used by a " + kind + " reward");
        if (wanted) *reward_member(a.reward, key) = number_of(j[key], action_field(index, key));
    }

    if (j.contains("prob") && j.contains("logit"))
        fail(where, "give either prob or logit, not both");
    if (j.contains("prob")) init.probs[index] = number_of(j["prob"], action_field(index, "prob"));
    if (j.contains("logit"))
        init.logits[index] = number_of(j["logit"], action_field(index, "logit"));
    return a;
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
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        const core::ActionSpec& a = s.actions[i];
        Json action;
        action["name"] = a.name;
        action["reward"] = std::string(core::to_string(a.reward.kind));
        core::RewardModel reward = a.reward;
        for (std::string_view key : reward_fields(a.reward.kind))
            action[std::string(key)] = *reward_member(reward, key);
        action["logit"] = s.init_logits.at(i);
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

void apply(core::Settings& s, const std::string& key, const std::string& value) {
    const std::string error = core::set_field(s, key, value);
    // set_field's messages already start with the field name.
    if (!error.empty()) throw FieldError{{}, error};
}

void apply_reference(core::Settings& s, const Json& j, const std::string& key) {
    if (!j.is_array()) fail(key, "must be a list of numbers, got " + type_name(j));
    std::string joined;
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_number())
            fail(key + "[" + std::to_string(i) + "]", "must be a number, got " + type_name(j[i]));
        if (i > 0) joined += ',';
        joined += number_text(j[i]);
    }
    if (j.empty()) fail(key, "must not be empty (leave it out to use the initial policy)");
    apply(s, key, joined);
}

}  // namespace

core::Settings settings_from_json(const Json& j, std::span<const std::string_view> other_keys) {
    if (!j.is_object()) fail("settings", "must be a JSON object, got " + type_name(j));
    for (const auto& [key, value] : j.items()) {
        if (!contains(kStructuralKeys, key) && !is_set_field_key(key) && !contains(other_keys, key))
            fail(key, "unknown key");
    }

    core::Settings s;
    if (j.contains("preset")) s.preset = string_of(j["preset"], "preset");
    if (j.contains("parameterization")) {
        const std::string text = string_of(j["parameterization"], "parameterization");
        if (!core::parse_parameterization(text, s.parameterization))
            fail("parameterization", "must be one of free, pinned");
    }

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
        for (std::size_t i = 0; i < actions.size(); ++i)
            s.actions.push_back(read_action(actions[i], i, init));
        if (s.actions.size() < core::limits::kMinActions)
            fail("actions", "need at least " + std::to_string(core::limits::kMinActions) +
                                " actions, got " + std::to_string(s.actions.size()));
        s.init_logits = initial_logits(init, s.parameterization);
    }
    // The action list must be valid before set_field, which validates the whole session.
    if (std::string e = core::validate(s); !e.empty()) throw FieldError{{}, e};

    // In the table's order, not the file's: K comes before baseline, so "rloo" with K >= 2 is
    // accepted whatever order the file lists them in.
    for (const std::string& key : core::scalar_field_names()) {
        if (!is_set_field_key(key) || !j.contains(key)) continue;
        const Json& v = j[key];
        if (contains(kTextKeys, key)) {
            apply(s, key, string_of(v, key));
        } else {
            if (!v.is_number()) fail(key, "must be a number, got " + type_name(v));
            apply(s, key, number_text(v));
        }
    }

    if (j.contains("reference_probs") && j.contains("reference_logits"))
        fail("reference_probs", "give either reference_probs or reference_logits, not both");
    if (j.contains("reference_probs")) apply_reference(s, j["reference_probs"], "reference_probs");
    if (j.contains("reference_logits"))
        apply_reference(s, j["reference_logits"], "reference_logits");

    if (std::string e = core::validate(s); !e.empty()) throw FieldError{{}, e};
    return s;
}

Json settings_to_json(const core::Settings& s) {
    Json j;
    j["preset"] = s.preset;
    j["title"] = s.title;
    j["description"] = s.description;
    j["parameterization"] = std::string(core::to_string(s.parameterization));
    if (const core::VocabularySpec* v = core::compact_vocabulary(s)) {
        j["vocabulary"] = vocabulary_to_json(*v);
    } else {
        j["actions"] = actions_to_json(s);
    }
    if (!s.reference_logits.empty()) j["reference_logits"] = s.reference_logits;

    const core::EstimatorSettings& e = s.estimator;
    j["K"] = e.K;
    j["lr"] = e.lr;
    j["baseline"] = std::string(core::to_string(e.baseline));
    j["baseline_b"] = e.constant_b;
    j["running_mode"] = std::string(core::to_string(e.running_mode));
    j["running_decay"] = e.running_decay;
    j["kl_beta"] = e.kl_beta;
    j["kl_mode"] = std::string(core::to_string(e.kl_mode));
    j["entropy"] = e.entropy;
    j["clip"] = e.clip;
    j["runs"] = s.runs;
    j["steps"] = s.steps;
    j["M"] = s.M;
    j["seed"] = s.seed;
    j["arm_mean_sd"] = s.arm_mean_sd;
    return j;
}

}  // namespace rl::io::json
