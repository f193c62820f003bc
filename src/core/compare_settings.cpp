#include "core/compare_settings.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/choices.hpp"
#include "core/settings_fields.hpp"

namespace rl::core {

namespace {

constexpr int kRlooMinK = 2;

bool raise_k_for_rloo(EstimatorSettings& e) {
    if (e.baseline != BaselineKind::kRloo || e.K >= kRlooMinK) return false;
    e.K = kRlooMinK;
    return true;
}

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", v);
    return text;
}

bool uses_b(BaselineKind kind) {
    return kind == BaselineKind::kConstant || kind == BaselineKind::kRunning;
}

}  // namespace

std::string estimator_field_keys() {
    std::string keys;
    for (const SettingsField& f : kSettingsFields) {
        if (!f.estimator) continue;
        if (!keys.empty()) keys += ", ";
        keys += std::string(f.key);
    }
    return keys;
}

bool is_estimator_field(std::string_view key) {
    const SettingsField* f = find_field(key);
    return f != nullptr && f->estimator;
}

Settings with_estimator(const Settings& problem, const EstimatorSettings& estimator) {
    Settings s = problem;
    s.estimator = estimator;
    return s;
}

CompareSettings compare_settings(const Settings& a, std::span<const std::string> assignments) {
    CompareSettings out;
    std::vector<std::pair<std::string, std::string>> changes;
    bool sets_k = false;
    for (const std::string& assignment : assignments) {
        const std::size_t eq = assignment.find('=');
        if (eq == std::string::npos) {
            out.error = assignment + ": expected KEY=VALUE";
            return out;
        }
        std::string key = assignment.substr(0, eq);
        if (!is_estimator_field(key)) {
            out.error = assignment + ": " + key +
                        " is shared by A and B; only estimator settings can differ (" +
                        estimator_field_keys() + ")";
            return out;
        }
        sets_k |= key == "K";
        changes.emplace_back(std::move(key), assignment.substr(eq + 1));
    }
    Settings b = a;
    std::size_t failed = 0;
    std::string error = set_fields(b, changes, &failed);
    if (!error.empty() && failed == changes.size() && !sets_k && a.estimator.K < kRlooMinK) {
        // Only the combination failed: leave-one-out with A's single sample is the likely cause.
        Settings raised = a;
        raised.estimator.K = kRlooMinK;
        if (set_fields(raised, changes).empty() &&
            raised.estimator.baseline == BaselineKind::kRloo) {
            out.note = "B takes K = 2: leave-one-out needs at least two samples";
            out.settings = std::move(raised);
            return out;
        }
    }
    if (!error.empty()) {
        out.error = failed < changes.size() ? assignments[failed] + ": " + error : error;
        return out;
    }
    out.settings = std::move(b);
    return out;
}

EstimatorSettings default_compare_estimator(const EstimatorSettings& a) {
    EstimatorSettings b = a;
    b.baseline = a.baseline == BaselineKind::kRloo ? BaselineKind::kNone : BaselineKind::kRloo;
    raise_k_for_rloo(b);
    return b;
}

std::string compare_label(const EstimatorSettings& self, const EstimatorSettings& other) {
    std::string label(to_string(self.baseline));
    const auto differs = [&](bool different, const std::string& text) {
        if (different) label += ", " + text;
    };
    differs(self.K != other.K, "K " + std::to_string(self.K));
    differs(self.lr != other.lr, "lr " + number(self.lr));
    differs(uses_b(self.baseline) && self.constant_b != other.constant_b,
            "b " + number(self.constant_b));
    const bool running = self.baseline == BaselineKind::kRunning;
    differs(running && self.running_mode != other.running_mode,
            std::string(to_string(self.running_mode)));
    differs(running && self.running_mode == RunningMode::kEma &&
                self.running_decay != other.running_decay,
            "decay " + number(self.running_decay));
    differs(self.kl_beta != other.kl_beta, "KL " + number(self.kl_beta));
    differs(self.kl_beta > 0.0 && self.kl_mode != other.kl_mode,
            "KL " + std::string(to_string(self.kl_mode)));
    differs(self.entropy != other.entropy, "entropy " + number(self.entropy));
    differs(self.clip != other.clip, "clip " + number(self.clip));
    differs(self.credit != other.credit, std::string(choice_of(self.credit).legend));
    differs(self.baseline == BaselineKind::kLearnedValue && self.critic_lr != other.critic_lr,
            "critic lr " + number(self.critic_lr));
    return label;
}

}  // namespace rl::core
