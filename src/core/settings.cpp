#include "core/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/choices.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/settings_fields.hpp"

namespace rl::core {

namespace {

// Plain decimal digits only: "1e0", "+0" or " 0" naming action 0 would make one action answer to
// many spellings, and a typo would silently hit an action.
bool parse_index(std::string_view text, std::size_t count, std::size_t& out) {
    if (text.empty() || text.size() > 9) return false;
    std::size_t x = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        x = x * 10 + static_cast<std::size_t>(c - '0');
    }
    if (x >= count) return false;
    out = x;
    return true;
}

// "action.0 (yes).value": how validate() names an action's field.
std::string action_where(const Settings& s, std::size_t i, std::string_view key) {
    const std::string index = "action." + std::to_string(i);
    if (s.actions[i].name.empty()) return index + "." + std::string(key);
    return index + " (" + s.actions[i].name + ")." + std::string(key);
}

// Two actions of one name could not be told apart in --set, the plots' legends or the CSV columns.
std::string duplicate_name(const Settings& s) {
    std::unordered_map<std::string_view, std::size_t> first;
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        const std::string& name = s.actions[i].name;
        if (name.empty()) continue;
        const auto [it, inserted] = first.emplace(name, i);
        if (!inserted)
            return "action." + std::to_string(i) + ".name: '" + name + "' is already action." +
                   std::to_string(it->second) + "'s name (each action needs its own)";
    }
    return {};
}

// key = action.<index or name>.<field>
std::string set_action_field(Settings& s, std::string_view key, std::string_view text) {
    const std::string_view rest = key.substr(7);
    const std::size_t dot = rest.rfind('.');
    if (dot == std::string_view::npos)
        return std::string(key) + ": expected action.<index or name>.<field>";
    const std::string_view who = rest.substr(0, dot);
    const ActionField* f = find_action_field(rest.substr(dot + 1));
    std::size_t index = s.actions.size();
    for (std::size_t i = 0; i < s.actions.size() && !who.empty(); ++i)
        if (s.actions[i].name == who) index = i;
    if (index == s.actions.size() && !parse_index(who, s.actions.size(), index))
        return std::string(key) + ": no action named or numbered '" + std::string(who) + "'";
    if (f == nullptr)
        return std::string(key) + ": unknown action field (" + action_field_keys() + ")";
    // A value the action's reward model does not read would be kept and silently ignored.
    const RewardKind kind = s.actions[index].reward.kind;
    if (!action_has_field(*f, kind))
        return std::string(key) + ": a " + std::string(to_string(kind)) + " reward has no " +
               std::string(f->key) + " (set action." + std::string(who) + ".reward first)";
    FieldValue value;
    if (std::string error = parse_action_field_text(*f, text, value, key); !error.empty())
        return error;
    if (std::string error = check_action_field(*f, s, index, value, key); !error.empty())
        return error;
    f->set(s, index, value);
    return {};
}

// Parses one field into s without checking the settings as a whole.
std::string apply_field(Settings& s, std::string_view key, std::string_view text) {
    if (key.starts_with("action.")) return set_action_field(s, key, text);
    const SettingsField* f = find_field(key);
    if (f == nullptr || !f->settable) return std::string(key) + ": unknown setting";
    FieldValue value;
    if (std::string error = parse_field_text(*f, text, value); !error.empty()) return error;
    if (std::string error = check_field(*f, s, value); !error.empty()) return error;
    f->set(s, value);
    return {};
}

}  // namespace

bool parse_number(std::string_view text, double& out) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
        // from_chars would read "+-1" as -1: one sign only.
        if (text.empty() || text.front() == '-' || text.front() == '+') return false;
    }
    if (text.empty()) return false;
    double x = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(x)) return false;
    out = x;
    return true;
}

std::string validate(const Settings& s) {
    const std::size_t n = s.actions.size();
    if (n < limits::kMinActions || n > limits::kMaxActions)
        return "actions: need between " + std::to_string(limits::kMinActions) + " and " +
               std::to_string(limits::kMaxActions) + " actions, got " + std::to_string(n);
    if (std::string e = duplicate_name(s); !e.empty()) return e;
    for (std::size_t i = 0; i < n; ++i) {
        for (const ActionField& f : kActionFields) {
            // The initial policy is checked as a whole below.
            if (f.key == "logit" || f.key == "prob") continue;
            if (!action_has_field(f, s.actions[i].reward.kind)) continue;
            if (std::string e = check_action_field(f, s, i, f.get(s, i), action_where(s, i, f.key));
                !e.empty())
                return e;
        }
    }
    for (const SettingsField& f : kSettingsFields) {
        // The probability forms describe the same vectors as the logit forms.
        if (f.key == "init_probs" || f.key == "reference_probs") continue;
        if (std::string e = check_field(f, s, f.get(s)); !e.empty()) return e;
    }
    if (s.estimator.baseline == BaselineKind::kRloo && s.estimator.K < 2)
        return "baseline: rloo (leave-one-out) needs K >= 2";
    return episode_settings_reason(s);
}

std::string set_field(Settings& s, std::string_view key, std::string_view value) {
    const std::pair<std::string, std::string> one{std::string(key), std::string(value)};
    return set_fields(s, std::span(&one, 1));
}

std::string set_fields(Settings& s, std::span<const std::pair<std::string, std::string>> changes,
                       std::size_t* failed_change) {
    if (failed_change) *failed_change = changes.size();
    Settings candidate = s;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        std::string error = apply_field(candidate, changes[i].first, changes[i].second);
        if (!error.empty()) {
            if (failed_change) *failed_change = i;
            return error;
        }
    }
    std::string error = validate(candidate);
    if (error.empty()) s = std::move(candidate);
    return error;
}

std::vector<double> reference_log_probs(const Settings& s) {
    const std::vector<double>& logits =
        s.reference_logits.empty() ? s.init_logits : s.reference_logits;
    std::vector<double> p(logits.size()), lp(logits.size());
    softmax(logits, p, lp);
    return lp;
}

std::vector<std::uint32_t> best_actions(std::span<const double> expected_rewards) {
    const double top = *std::max_element(expected_rewards.begin(), expected_rewards.end());
    const double tol = 1e-12 * std::max(1.0, std::abs(top));
    std::vector<std::uint32_t> best;
    for (std::size_t a = 0; a < expected_rewards.size(); ++a)
        if (expected_rewards[a] >= top - tol) best.push_back(static_cast<std::uint32_t>(a));
    return best;
}

}  // namespace rl::core
