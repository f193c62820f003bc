#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/episodes/episode_table.hpp"
#include "core/episodes/token_sequence.hpp"
#include "core/estimator.hpp"
#include "core/policy.hpp"
#include "core/problem_kind.hpp"
#include "core/reward_model.hpp"
#include "core/vocabulary.hpp"

namespace rl::core {

// A token's reward at one position of a sequence, paid there instead of its own.
struct PositionReward {
    int position = 1;  // 1: the first token
    RewardModel reward;
};

struct ActionSpec {
    std::string name;
    RewardModel reward;
    bool marked = false;                           // token sequences: one the outcome rule counts
    std::vector<PositionReward> by_position = {};  // token sequences only; in files, not --set
};

// The ranges every entry point (session file, --set, GUI) enforces.
namespace limits {
inline constexpr std::size_t kMinActions = 2;
inline constexpr std::size_t kMaxActions = 262144;
inline constexpr int kMaxK = 65536;
inline constexpr int kMaxRuns = 4096;
inline constexpr int kMaxSteps = 1000000;
inline constexpr int kMinM = 2;
inline constexpr int kMaxM = 1 << 20;
inline constexpr double kMaxLearningRate = 1e6;
inline constexpr double kMaxRewardMagnitude = 1e30;
inline constexpr double kMaxLogitMagnitude = 1e4;
inline constexpr double kMaxCoefficient = 1e6;  // KL beta, entropy bonus, arm-mean sd
inline constexpr std::size_t kMaxTokens = 64;   // vocabulary of a token sequence
inline constexpr int kMaxLength = 512;          // decisions in an episode
inline constexpr std::size_t kMaxStates = 256;  // states of an episodic table
}  // namespace limits

// Everything that defines an experiment. Field names match the session file and --set keys.
struct Settings {
    std::string preset;  // the preset it started from, for file names and titles
    std::string title;
    std::string description;
    std::vector<ActionSpec> actions;
    std::vector<double> init_logits;       // one per action; last is 0 when pinned
    std::vector<double> reference_logits;  // empty: the initial policy is the reference
    Parameterization parameterization = Parameterization::kFree;
    double arm_mean_sd = 0.0;  // > 0: each run draws its arm means from N(mean, sd^2)
    EstimatorSettings estimator;
    int runs = 256;
    int steps = 200;
    int M = 4096;
    std::uint64_t seed = 1;
    // Vocabulary mode: the rule the actions were generated from, so that a file can store the
    // rule instead of every action while they still match it (compact_vocabulary).
    std::optional<VocabularySpec> vocabulary;
    // Episodes (problem other than bandit): the actions are the tokens, or the table's actions.
    ProblemKind problem = ProblemKind::kBandit;
    int length = 8;  // tokens per sequence
    TokenPolicyForm policy_form = TokenPolicyForm::kPerPosition;
    double discount = 1.0;
    OutcomeRule outcome = OutcomeRule::kNone;
    int outcome_count = 1;                  // k of at_least
    double outcome_reward = 1.0;            // paid at the end when the rule holds
    double outcome_else = 0.0;              // and when it does not
    std::optional<EpisodeTableSpec> table;  // problem = table
};

inline bool is_episodic(const Settings& s) {
    return s.problem != ProblemKind::kBandit;
}

// Empty when the session is usable; otherwise one line naming the field and the reason.
std::string validate(const Settings& s);

// Sets one field from text, as --set KEY=VALUE does. The session changes only if the result is
// valid; otherwise it is left as it was and the message says why.
std::string set_field(Settings& s, std::string_view key, std::string_view value);

// Several fields at once, validated together at the end, so their order does not matter
// (baseline=rloo before K=4 is fine). All or nothing. failed_change, when given, receives the
// index of the change that did not parse, or changes.size() when the combination is invalid.
std::string set_fields(Settings& s, std::span<const std::pair<std::string, std::string>> changes,
                       std::size_t* failed_change = nullptr);

// Parses a finite number, rejecting trailing text; false when it is not one.
bool parse_number(std::string_view text, double& out);

// The reference policy's log-probabilities (the initial policy when none was set).
std::vector<double> reference_log_probs(const Settings& s);

// The expected-reward-maximising actions (ties within a relative 1e-12).
std::vector<std::uint32_t> best_actions(std::span<const double> expected_rewards);

}  // namespace rl::core
