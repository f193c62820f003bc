#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/settings.hpp"

// Compare mode runs two configurations, A and B, on one problem: B is A's settings with other
// estimator settings. Everything else (actions, rewards, runs, steps, M, seed, parameterisation,
// initial and reference policy) is A's, so any difference in the plots comes from the estimator.
namespace rl::core {

// The keys B may set on its own, the fields of EstimatorSettings: "K, baseline, ..." for
// messages, and whether `key` is one.
std::string estimator_field_keys();
bool is_estimator_field(std::string_view key);

// `problem` (A's session) with B's estimator settings laid over it.
Settings with_estimator(const Settings& problem, const EstimatorSettings& estimator);

struct CompareSettings {
    std::optional<Settings> settings;  // B; empty when refused
    std::string error;                 // one line, naming the KEY=VALUE at fault
    std::string note;                  // a setting B needed that was not asked for
};

// B from A and --compare style KEY=VALUE changes, validated together as --set does. A key outside
// the estimator is refused. Leave-one-out needs K >= 2: when the changes ask for it without
// giving K and A's K is 1, B takes K = 2 and the note says so.
CompareSettings compare_settings(const Settings& a, std::span<const std::string> assignments);

// B when compare mode is turned on without settings: leave-one-out against A, or no baseline
// when A already uses leave-one-out (K raised to 2 where needed, as above).
EstimatorSettings default_compare_estimator(const EstimatorSettings& a);

// A short legend name for `self` next to `other`: the baseline, then whatever else differs
// ("rloo", "none, lr 0.5", "rloo, K 2", "none, rewards-to-go").
std::string compare_label(const EstimatorSettings& self, const EstimatorSettings& other);

}  // namespace rl::core
