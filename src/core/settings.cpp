#include "core/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

namespace rl::core {

namespace {

std::string range_message(std::string_view field, double lo, double hi) {
    std::ostringstream os;
    os << field << ": must be between " << lo << " and " << hi;
    return os.str();
}

bool in_range(double x, double lo, double hi) {
    return std::isfinite(x) && x >= lo && x <= hi;
}

std::string validate_reward(const ActionSpec& a, std::size_t index) {
    const std::string where = "action." + std::to_string(index) + " (" + a.name + ")";
    const RewardModel& r = a.reward;
    const double big = limits::kMaxRewardMagnitude;
    switch (r.kind) {
        case RewardKind::kFixed:
            if (!in_range(r.value, -big, big)) return range_message(where + ".value", -big, big);
            break;
        case RewardKind::kGaussian:
            if (!in_range(r.mean, -big, big)) return range_message(where + ".mean", -big, big);
            if (!in_range(r.sd, 0.0, big)) return range_message(where + ".sd", 0.0, big);
            break;
        case RewardKind::kBernoulli:
            if (!in_range(r.p, 0.0, 1.0)) return range_message(where + ".p", 0.0, 1.0);
            if (!in_range(r.lo, -big, big)) return range_message(where + ".lo", -big, big);
            if (!in_range(r.hi, -big, big)) return range_message(where + ".hi", -big, big);
            break;
    }
    return {};
}

std::string validate_logits(const std::vector<double>& logits, std::size_t n,
                            std::string_view field) {
    if (logits.size() != n) {
        return std::string(field) + ": needs " + std::to_string(n) + " values, got " +
               std::to_string(logits.size());
    }
    for (double l : logits) {
        if (!in_range(l, -limits::kMaxLogitMagnitude, limits::kMaxLogitMagnitude))
            return range_message(field, -limits::kMaxLogitMagnitude, limits::kMaxLogitMagnitude);
    }
    return {};
}

bool parse_int(std::string_view text, long long lo, long long hi, long long& out) {
    double x = 0.0;
    if (!parse_number(text, x) || x != std::floor(x)) return false;
    if (x < static_cast<double>(lo) || x > static_cast<double>(hi)) return false;
    out = static_cast<long long>(x);
    return true;
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

std::string logit_list_message(std::string_view field) {
    std::ostringstream os;
    os << field << ": must be a comma-separated list of numbers between "
       << -limits::kMaxLogitMagnitude << " and " << limits::kMaxLogitMagnitude;
    return os.str();
}

using Setter = std::function<std::string(Settings&, std::string_view)>;

struct Field {
    std::string_view name;
    Setter set;
};

Setter number_field(std::string_view name, double lo, double hi, double Settings::*member) {
    return [=](Settings& s, std::string_view v) -> std::string {
        double x = 0.0;
        if (!parse_number(v, x) || !in_range(x, lo, hi)) return range_message(name, lo, hi);
        s.*member = x;
        return {};
    };
}

Setter estimator_number(std::string_view name, double lo, double hi,
                        double EstimatorSettings::*member) {
    return [=](Settings& s, std::string_view v) -> std::string {
        double x = 0.0;
        if (!parse_number(v, x) || !in_range(x, lo, hi)) return range_message(name, lo, hi);
        s.estimator.*member = x;
        return {};
    };
}

Setter int_field(std::string_view name, long long lo, long long hi, int Settings::*member) {
    return [=](Settings& s, std::string_view v) -> std::string {
        long long x = 0;
        if (!parse_int(v, lo, hi, x))
            return std::string(name) + ": must be a whole number between " + std::to_string(lo) +
                   " and " + std::to_string(hi);
        s.*member = static_cast<int>(x);
        return {};
    };
}

template <typename Enum>
Setter enum_field(std::string_view name, bool (*parse)(std::string_view, Enum&),
                  std::string_view choices, Enum EstimatorSettings::*member) {
    return [=](Settings& s, std::string_view v) -> std::string {
        Enum e{};
        if (!parse(v, e)) return std::string(name) + ": must be one of " + std::string(choices);
        s.estimator.*member = e;
        return {};
    };
}

std::vector<double> normalised(std::vector<double> p) {
    double total = 0.0;
    for (double x : p)
        total += x;
    for (double& x : p)
        x /= total;
    return p;
}

std::string set_probabilities(std::vector<double>& logits, const Settings& s, std::string_view name,
                              std::string_view v) {
    std::vector<double> p;
    if (!parse_list(v, p))
        return std::string(name) +
               ": must be a comma-separated list of probabilities above 0 and at most 1";
    if (p.size() != s.actions.size())
        return std::string(name) + ": needs " + std::to_string(s.actions.size()) + " values";
    double total = 0.0;
    for (double x : p) {
        if (!(x > 0.0) || !(x <= 1.0))
            return std::string(name) + ": every probability must be above 0 and at most 1";
        total += x;
    }
    if (std::abs(total - 1.0) > 1e-6) return std::string(name) + ": probabilities must sum to 1";
    logits = logits_from_probabilities(normalised(p), s.parameterization);
    return {};
}

const std::vector<Field>& fields() {
    static const std::vector<Field> table = {
        {"K",
         [](Settings& s, std::string_view v) -> std::string {
             long long x = 0;
             if (!parse_int(v, 1, limits::kMaxK, x))
                 return "K: must be a whole number between 1 and " + std::to_string(limits::kMaxK);
             s.estimator.K = static_cast<int>(x);
             return {};
         }},
        {"lr",
         [](Settings& s, std::string_view v) -> std::string {
             double x = 0.0;
             if (!parse_number(v, x) || !(x > 0.0) || x > limits::kMaxLearningRate)
                 return "lr: must be greater than 0 and at most 1e+06";
             s.estimator.lr = x;
             return {};
         }},
        {"baseline", enum_field<BaselineKind>(
                         "baseline", parse_baseline,
                         "none, constant, running, batch_mean, rloo, expected, optimal, group_norm",
                         &EstimatorSettings::baseline)},
        {"baseline_b",
         estimator_number("baseline_b", -limits::kMaxRewardMagnitude, limits::kMaxRewardMagnitude,
                          &EstimatorSettings::constant_b)},
        {"running_mode", enum_field<RunningMode>("running_mode", parse_running_mode, "ema, average",
                                                 &EstimatorSettings::running_mode)},
        {"running_decay",
         [](Settings& s, std::string_view v) -> std::string {
             double x = 0.0;
             if (!parse_number(v, x) || !(x >= 0.0 && x < 1.0))
                 return "running_decay: must be at least 0 and below 1";
             s.estimator.running_decay = x;
             return {};
         }},
        {"kl_beta",
         estimator_number("kl_beta", 0.0, limits::kMaxCoefficient, &EstimatorSettings::kl_beta)},
        {"kl_mode", enum_field<KlMode>("kl_mode", parse_kl_mode, "penalty, reward",
                                       &EstimatorSettings::kl_mode)},
        {"entropy",
         estimator_number("entropy", 0.0, limits::kMaxCoefficient, &EstimatorSettings::entropy)},
        {"clip", estimator_number("clip", 0.0, 1e12, &EstimatorSettings::clip)},
        {"parameterization",
         [](Settings& s, std::string_view v) -> std::string {
             Parameterization p{};
             if (!parse_parameterization(v, p))
                 return "parameterization: must be one of free, pinned";
             if (p != s.parameterization) {
                 // Keep the policy the same: re-express it with the new normalisation.
                 const std::vector<double> probs = softmax(s.init_logits);
                 s.parameterization = p;
                 s.init_logits = logits_from_probabilities(probs, p);
             }
             return {};
         }},
        {"runs", int_field("runs", 1, limits::kMaxRuns, &Settings::runs)},
        {"steps", int_field("steps", 1, limits::kMaxSteps, &Settings::steps)},
        {"M", int_field("M", limits::kMinM, limits::kMaxM, &Settings::M)},
        {"seed",
         [](Settings& s, std::string_view v) -> std::string {
             std::uint64_t x = 0;
             const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
             if (ec != std::errc() || ptr != v.data() + v.size() || v.empty())
                 return "seed: must be a whole number between 0 and 18446744073709551615";
             s.seed = x;
             return {};
         }},
        {"arm_mean_sd",
         number_field("arm_mean_sd", 0.0, limits::kMaxCoefficient, &Settings::arm_mean_sd)},
        {"title",
         [](Settings& s, std::string_view v) -> std::string {
             s.title = std::string(v);
             return {};
         }},
        {"description",
         [](Settings& s, std::string_view v) -> std::string {
             s.description = std::string(v);
             return {};
         }},
        {"init_logits",
         [](Settings& s, std::string_view v) -> std::string {
             std::vector<double> l;
             if (!parse_list(v, l)) return logit_list_message("init_logits");
             if (s.parameterization == Parameterization::kPinnedLast && !l.empty() &&
                 l.back() != 0.0)
                 return "init_logits: the last logit is pinned at 0";
             s.init_logits = std::move(l);
             return {};
         }},
        {"init_probs",
         [](Settings& s, std::string_view v) -> std::string {
             return set_probabilities(s.init_logits, s, "init_probs", v);
         }},
        {"reference_logits",
         [](Settings& s, std::string_view v) -> std::string {
             if (v.empty()) {
                 s.reference_logits.clear();
                 return {};
             }
             std::vector<double> l;
             if (!parse_list(v, l)) return logit_list_message("reference_logits");
             s.reference_logits = std::move(l);
             return {};
         }},
        {"reference_probs",
         [](Settings& s, std::string_view v) -> std::string {
             return set_probabilities(s.reference_logits, s, "reference_probs", v);
         }},
    };
    return table;
}

std::string set_action_field(Settings& s, std::string_view key, std::string_view value) {
    // key = action.<index or name>.<field>
    const std::string_view rest = key.substr(7);
    const std::size_t dot = rest.rfind('.');
    if (dot == std::string_view::npos)
        return std::string(key) + ": expected action.<index or name>.<field>";
    const std::string_view who = rest.substr(0, dot);
    const std::string_view field = rest.substr(dot + 1);
    std::size_t index = s.actions.size();
    for (std::size_t i = 0; i < s.actions.size(); ++i)
        if (s.actions[i].name == who) index = i;
    if (index == s.actions.size()) {
        long long i = 0;
        if (!parse_int(who, 0, static_cast<long long>(s.actions.size()) - 1, i))
            return std::string(key) + ": no action named or numbered '" + std::string(who) + "'";
        index = static_cast<std::size_t>(i);
    }
    ActionSpec& a = s.actions[index];
    if (field == "name") {
        if (value.empty()) return std::string(key) + ": a name cannot be empty";
        a.name = std::string(value);
        return {};
    }
    if (field == "reward") {
        if (!parse_reward_kind(value, a.reward.kind))
            return std::string(key) + ": must be one of fixed, gaussian, bernoulli";
        return {};
    }
    const double big = limits::kMaxRewardMagnitude;
    const double logit = limits::kMaxLogitMagnitude;
    struct NumberField {
        std::string_view name;
        double lo, hi;
        double* target;
    };
    // Each field is checked against its own range here, whatever the reward kind, so that a
    // value refused by name never waits in a field the current kind does not read.
    const NumberField numbers[] = {
        {"value", -big, big, &a.reward.value},
        {"mean", -big, big, &a.reward.mean},
        {"sd", 0.0, big, &a.reward.sd},
        {"p", 0.0, 1.0, &a.reward.p},
        {"lo", -big, big, &a.reward.lo},
        {"hi", -big, big, &a.reward.hi},
        {"logit", -logit, logit, index < s.init_logits.size() ? &s.init_logits[index] : nullptr},
    };
    const auto it = std::find_if(std::begin(numbers), std::end(numbers),
                                 [&](const NumberField& f) { return f.name == field; });
    if (it == std::end(numbers))
        return std::string(key) +
               ": unknown action field (name, reward, value, mean, sd, p, lo, hi, logit)";
    if (field == "logit" && s.parameterization == Parameterization::kPinnedLast &&
        index + 1 == s.actions.size())
        return std::string(key) + ": the last logit is pinned at 0";
    if (it->target == nullptr)
        return std::string(key) + ": init_logits has no value for this action";
    double x = 0.0;
    if (!parse_number(value, x) || !in_range(x, it->lo, it->hi))
        return range_message(key, it->lo, it->hi);
    *it->target = x;
    return {};
}

}  // namespace

bool parse_number(std::string_view text, double& out) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
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
    for (std::size_t i = 0; i < n; ++i) {
        if (s.actions[i].name.empty())
            return "action." + std::to_string(i) + ".name: a name cannot be empty";
        if (std::string e = validate_reward(s.actions[i], i); !e.empty()) return e;
    }
    if (std::string e = validate_logits(s.init_logits, n, "init_logits"); !e.empty()) return e;
    if (s.parameterization == Parameterization::kPinnedLast && s.init_logits.back() != 0.0)
        return "init_logits: the last logit is pinned at 0";
    if (!s.reference_logits.empty()) {
        if (std::string e = validate_logits(s.reference_logits, n, "reference_logits"); !e.empty())
            return e;
    }
    const EstimatorSettings& e = s.estimator;
    if (e.K < 1 || e.K > limits::kMaxK)
        return "K: must be a whole number between 1 and " + std::to_string(limits::kMaxK);
    if (e.baseline == BaselineKind::kRloo && e.K < 2)
        return "baseline: rloo (leave-one-out) needs K >= 2";
    if (!(e.lr > 0.0) || !(e.lr <= limits::kMaxLearningRate))
        return "lr: must be greater than 0 and at most 1e+06";
    if (!in_range(e.running_decay, 0.0, 1.0) || e.running_decay >= 1.0)
        return "running_decay: must be at least 0 and below 1";
    if (!in_range(e.kl_beta, 0.0, limits::kMaxCoefficient))
        return range_message("kl_beta", 0.0, limits::kMaxCoefficient);
    if (!in_range(e.entropy, 0.0, limits::kMaxCoefficient))
        return range_message("entropy", 0.0, limits::kMaxCoefficient);
    if (!in_range(e.clip, 0.0, 1e12)) return range_message("clip", 0.0, 1e12);
    if (!in_range(e.constant_b, -limits::kMaxRewardMagnitude, limits::kMaxRewardMagnitude))
        return range_message("baseline_b", -limits::kMaxRewardMagnitude,
                             limits::kMaxRewardMagnitude);
    if (!in_range(s.arm_mean_sd, 0.0, limits::kMaxCoefficient))
        return range_message("arm_mean_sd", 0.0, limits::kMaxCoefficient);
    if (s.runs < 1 || s.runs > limits::kMaxRuns)
        return "runs: must be a whole number between 1 and " + std::to_string(limits::kMaxRuns);
    if (s.steps < 1 || s.steps > limits::kMaxSteps)
        return "steps: must be a whole number between 1 and " + std::to_string(limits::kMaxSteps);
    if (s.M < limits::kMinM || s.M > limits::kMaxM)
        return "M: must be a whole number between " + std::to_string(limits::kMinM) + " and " +
               std::to_string(limits::kMaxM);
    return {};
}

namespace {
// Parses one field into s without checking the session as a whole.
std::string apply_field(Settings& s, std::string_view key, std::string_view value) {
    if (key.starts_with("action.")) return set_action_field(s, key, value);
    const auto& table = fields();
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const Field& f) { return f.name == key; });
    if (it == table.end()) return std::string(key) + ": unknown setting";
    return it->set(s, value);
}
}  // namespace

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

std::vector<std::string> scalar_field_names() {
    std::vector<std::string> names;
    for (const Field& f : fields())
        names.emplace_back(f.name);
    return names;
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
