#include "core/settings_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/settings_edit.hpp"

namespace rl::core {

namespace {

bool in_range(double x, const FieldRange& r) {
    if (!std::isfinite(x)) return false;
    if (r.lo_open ? !(x > r.lo) : !(x >= r.lo)) return false;
    return r.hi_open ? x < r.hi : x <= r.hi;
}

std::string with_key(std::string_view key, std::string_view where, const std::string& reason) {
    return std::string(where.empty() ? key : where) + ": " + reason;
}

std::string whole_range_reason(const FieldRange& r) {
    return "must be a whole number between " + std::to_string(static_cast<long long>(r.lo)) +
           " and " + std::to_string(static_cast<long long>(r.hi));
}

const char* kSeedReason = "must be a whole number between 0 and 18446744073709551615";

std::string choice_reason(std::span<const ChoiceText> choices) {
    std::string names;
    for (const ChoiceText& c : choices) {
        if (!names.empty()) names += ", ";
        names += std::string(c.name);
    }
    return "must be one of " + names;
}

// The checks every kind makes; "" or the reason.
std::string kind_reason(FieldKind kind, const FieldRange& range,
                        std::span<const ChoiceText> choices, const FieldValue& value) {
    switch (kind) {
        case FieldKind::kWhole: {
            const double x = std::get<double>(value);
            return in_range(x, range) && x == std::floor(x) ? "" : whole_range_reason(range);
        }
        case FieldKind::kNumber:
            return in_range(std::get<double>(value), range) ? "" : range_reason(range, false);
        case FieldKind::kChoice: {
            const std::string& name = std::get<std::string>(value);
            const bool known = std::any_of(choices.begin(), choices.end(),
                                           [&](const ChoiceText& c) { return c.name == name; });
            return known ? "" : choice_reason(choices);
        }
        case FieldKind::kSeed:
        case FieldKind::kText:
        case FieldKind::kList:
            return {};
    }
    return {};
}

bool parse_list(std::string_view text, std::vector<double>& out) {
    out.clear();
    while (true) {
        const std::size_t comma = text.find(',');
        double x = 0.0;
        if (!parse_number(text.substr(0, comma), x)) return false;
        out.push_back(x);
        if (comma == std::string_view::npos) return true;
        text.remove_prefix(comma + 1);
    }
}

// The forms every whole-number field reads ("+7", " 7 ", "1e3", "7.0"), and plain digits exactly
// up to 2^64 - 1, which a double cannot hold; a form through a double only up to 2^53, where
// every whole number is still exact.
bool parse_seed(std::string_view text, std::uint64_t& out) {
    std::string_view digits = text;
    while (!digits.empty() && digits.front() == ' ')
        digits.remove_prefix(1);
    while (!digits.empty() && digits.back() == ' ')
        digits.remove_suffix(1);
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    if (!digits.empty() && digits.front() >= '0' && digits.front() <= '9') {
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        if (ec == std::errc() && ptr == digits.data() + digits.size()) return true;
    }
    constexpr double kExactLimit = 9007199254740992.0;  // 2^53
    double x = 0.0;
    if (!parse_number(text, x) || x != std::floor(x) || x < 0.0 || x > kExactLimit) return false;
    out = static_cast<std::uint64_t>(x);
    return true;
}

// The parse for every kind but kList; false when the text is not of the kind.
bool parse_scalar(FieldKind kind, std::string_view text, FieldValue& out) {
    switch (kind) {
        case FieldKind::kWhole:
        case FieldKind::kNumber: {
            double x = 0.0;
            if (!parse_number(text, x)) return false;
            out = x;
            return true;
        }
        case FieldKind::kSeed: {
            std::uint64_t x = 0;
            if (!parse_seed(text, x)) return false;
            out = x;
            return true;
        }
        case FieldKind::kChoice:
        case FieldKind::kText:
            out = std::string(text);
            return true;
        case FieldKind::kList:
            return false;
    }
    return false;
}

// What a value of the kind must be, for a text that is not one.
std::string not_of_kind_reason(FieldKind kind, const FieldRange& range) {
    switch (kind) {
        case FieldKind::kWhole:
            return whole_range_reason(range);
        case FieldKind::kSeed:
            return kSeedReason;
        default:
            return range_reason(range, false);
    }
}

std::vector<double> normalised(std::vector<double> p) {
    double total = 0.0;
    for (double x : p)
        total += x;
    for (double& x : p)
        x /= total;
    return p;
}

std::string count_reason(std::size_t want, std::size_t got) {
    return "needs " + std::to_string(want) + " values, got " + std::to_string(got);
}

}  // namespace

std::string field_values_text(FieldKind kind, const FieldRange& range,
                              std::span<const ChoiceText> choices, std::string_view list_of) {
    switch (kind) {
        case FieldKind::kWhole:
            return "a whole number from " + std::to_string(static_cast<long long>(range.lo)) +
                   " to " + std::to_string(static_cast<long long>(range.hi));
        case FieldKind::kNumber: {
            // "must be between 0 and 1" -> "between 0 and 1"
            const std::string reason = range_reason(range, false);
            return "a number " + reason.substr(reason.find(' ', 5) + 1);
        }
        case FieldKind::kSeed:
            return "a whole number from 0 to 18446744073709551615";
        case FieldKind::kChoice:
            return choice_reason(choices).substr(std::string("must be ").size());
        case FieldKind::kText:
            return "text";
        case FieldKind::kList:
            return "comma-separated " + std::string(list_of) + ", one per action";
    }
    return {};
}

std::string range_reason(const FieldRange& r, bool whole) {
    if (whole) return whole_range_reason(r);
    std::ostringstream os;
    if (!r.lo_open && !r.hi_open) {
        os << "must be between " << r.lo << " and " << r.hi;
    } else {
        os << "must be " << (r.lo_open ? "greater than " : "at least ") << r.lo << " and "
           << (r.hi_open ? "below " : "at most ") << r.hi;
    }
    return os.str();
}

namespace field_access {

FieldValue get_parameterization(const Settings& s) {
    return std::string(to_string(s.parameterization));
}

void set_parameterization_field(Settings& s, const FieldValue& v) {
    Parameterization p = s.parameterization;
    parse_choice(std::get<std::string>(v), p);
    if (p == s.parameterization) return;
    // Re-expressed under the new normalisation, so the policy it describes stays the same.
    if (s.init_logits.empty()) {
        s.parameterization = p;
    } else {
        set_parameterization(s, p);
    }
}

FieldValue get_init_logits(const Settings& s) {
    return s.init_logits;
}

void set_init_logits(Settings& s, const FieldValue& v) {
    s.init_logits = std::get<std::vector<double>>(v);
}

std::string check_logit_list(const Settings& s, const FieldValue& v) {
    const std::vector<double>& logits = std::get<std::vector<double>>(v);
    if (logits.empty()) return {};
    if (logits.size() != s.actions.size()) return count_reason(s.actions.size(), logits.size());
    const FieldRange range{-limits::kMaxLogitMagnitude, limits::kMaxLogitMagnitude};
    for (double l : logits)
        if (!in_range(l, range)) return range_reason(range, false);
    return {};
}

std::string check_init_logits(const Settings& s, const FieldValue& v) {
    const std::vector<double>& logits = std::get<std::vector<double>>(v);
    if (logits.empty()) return count_reason(s.actions.size(), 0);
    if (std::string reason = check_logit_list(s, v); !reason.empty()) return reason;
    if (s.parameterization == Parameterization::kPinnedLast && logits.back() != 0.0)
        return "the last logit is pinned at 0";
    return {};
}

FieldValue get_init_probs(const Settings& s) {
    return initial_probabilities(s);
}

void set_init_probs(Settings& s, const FieldValue& v) {
    s.init_logits =
        logits_from_probabilities(normalised(std::get<std::vector<double>>(v)), s.parameterization);
}

FieldValue get_reference_logits(const Settings& s) {
    return s.reference_logits;
}

void set_reference_logits(Settings& s, const FieldValue& v) {
    s.reference_logits = std::get<std::vector<double>>(v);
}

FieldValue get_reference_probs(const Settings& s) {
    if (s.reference_logits.empty()) return std::vector<double>{};
    return reference_probabilities(s);
}

void set_reference_probs(Settings& s, const FieldValue& v) {
    const std::vector<double>& p = std::get<std::vector<double>>(v);
    s.reference_logits = p.empty() ? std::vector<double>{}
                                   : logits_from_probabilities(normalised(p), s.parameterization);
}

std::string check_probability_list(const Settings& s, const FieldValue& v) {
    const std::vector<double>& p = std::get<std::vector<double>>(v);
    if (p.empty()) return {};
    if (p.size() != s.actions.size())
        return "needs " + std::to_string(s.actions.size()) + " values";
    double total = 0.0;
    for (double x : p) {
        if (!(x > 0.0) || !(x <= 1.0)) return "every probability must be above 0 and at most 1";
        total += x;
    }
    if (std::abs(total - 1.0) > 1e-6) return "probabilities must sum to 1";
    return {};
}

FieldValue get_action_name(const Settings& s, std::size_t i) {
    return s.actions[i].name;
}

void set_action_name(Settings& s, std::size_t i, const FieldValue& v) {
    s.actions[i].name = std::get<std::string>(v);
}

std::string check_action_name(const Settings&, std::size_t, const FieldValue& v) {
    return std::get<std::string>(v).empty() ? "a name cannot be empty" : "";
}

FieldValue get_reward_kind(const Settings& s, std::size_t i) {
    return std::string(to_string(s.actions[i].reward.kind));
}

void set_reward_kind(Settings& s, std::size_t i, const FieldValue& v) {
    parse_choice(std::get<std::string>(v), s.actions[i].reward.kind);
}

FieldValue get_action_logit(const Settings& s, std::size_t i) {
    return i < s.init_logits.size() ? s.init_logits[i] : 0.0;
}

void set_action_logit(Settings& s, std::size_t i, const FieldValue& v) {
    if (i < s.init_logits.size()) s.init_logits[i] = std::get<double>(v);
}

std::string check_action_logit(const Settings& s, std::size_t i, const FieldValue& v) {
    if (i >= s.init_logits.size()) return "init_logits has no value for this action";
    if (s.parameterization == Parameterization::kPinnedLast && i + 1 == s.actions.size() &&
        std::get<double>(v) != 0.0)
        return "the last logit is pinned at 0";
    return {};
}

FieldValue get_action_prob(const Settings& s, std::size_t i) {
    return initial_probabilities(s)[i];
}

void set_action_prob(Settings& s, std::size_t i, const FieldValue& v) {
    set_initial_probability(s, i, std::get<double>(v));
}

FieldValue get_action_marked(const Settings& s, std::size_t i) {
    return s.actions[i].marked ? 1.0 : 0.0;
}

void set_action_marked(Settings& s, std::size_t i, const FieldValue& v) {
    s.actions[i].marked = std::get<double>(v) != 0.0;
}

}  // namespace field_access

std::span<const ChoiceText> offered_choices(const SettingsField& f, const Settings& s) {
    return is_episodic(s) || f.bandit_choices.empty() ? f.choices : f.bandit_choices;
}

const SettingsField* find_field(std::string_view key) {
    for (const SettingsField& f : kSettingsFields)
        if (f.key == key) return &f;
    return nullptr;
}

const ActionField* find_action_field(std::string_view key) {
    for (const ActionField& f : kActionFields)
        if (f.key == key) return &f;
    return nullptr;
}

bool action_has_field(const ActionField& f, RewardKind kind) {
    return f.reward_kinds == 0 || (f.reward_kinds & field_access::reward_bit(kind)) != 0;
}

std::string action_field_keys() {
    std::string keys;
    for (const ActionField& f : kActionFields) {
        if (!keys.empty()) keys += ", ";
        keys += std::string(f.key);
    }
    return keys;
}

FieldValue field_default(const SettingsField& f) {
    return f.get(Settings{});
}

std::string check_field(const SettingsField& f, const Settings& s, const FieldValue& value,
                        std::string_view where) {
    std::string reason = kind_reason(f.kind, f.range, f.choices, value);
    if (reason.empty() && f.extra_check) reason = f.extra_check(s, value);
    return reason.empty() ? reason : with_key(f.key, where, reason);
}

std::string check_action_field(const ActionField& f, const Settings& s, std::size_t action,
                               const FieldValue& value, std::string_view where) {
    std::string reason = kind_reason(f.kind, f.range, f.choices, value);
    if (reason.empty() && f.extra_check) reason = f.extra_check(s, action, value);
    return reason.empty() ? reason : with_key(f.key, where, reason);
}

std::string parse_field_text(const SettingsField& f, std::string_view text, FieldValue& out,
                             std::string_view where) {
    if (f.kind == FieldKind::kList) {
        std::vector<double> values;
        if (text.empty() && f.skip_empty) {
            out = values;
            return {};
        }
        if (!parse_list(text, values))
            return with_key(f.key, where,
                            "must be a comma-separated list of " + std::string(f.list_of));
        out = std::move(values);
        return {};
    }
    if (parse_scalar(f.kind, text, out)) return {};
    return with_key(f.key, where, not_of_kind_reason(f.kind, f.range));
}

std::string parse_action_field_text(const ActionField& f, std::string_view text, FieldValue& out,
                                    std::string_view where) {
    if (parse_scalar(f.kind, text, out)) return {};
    return with_key(f.key, where, not_of_kind_reason(f.kind, f.range));
}

std::string field_text(const FieldValue& value) {
    const auto number = [](double x) {
        char buffer[64];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
        return std::string(buffer, result.ptr);
    };
    if (const double* x = std::get_if<double>(&value)) return number(*x);
    if (const std::uint64_t* x = std::get_if<std::uint64_t>(&value)) return std::to_string(*x);
    if (const std::string* x = std::get_if<std::string>(&value)) return *x;
    std::string text;
    for (double x : std::get<std::vector<double>>(value)) {
        if (!text.empty()) text += ",";
        text += number(x);
    }
    return text;
}

}  // namespace rl::core
