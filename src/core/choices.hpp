#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "core/episodes/token_sequence.hpp"
#include "core/estimator.hpp"
#include "core/policy.hpp"
#include "core/problem_kind.hpp"
#include "core/reward_model.hpp"

// Every choice a setting offers, one table per enum: the name files and the command line use, the
// label the window shows and one sentence on what it does. Parsing, writing, the window's lists
// and the "must be one of" messages all read these tables, so a new choice is one row here (and
// its meaning where the enum is used).
namespace rl::core {

template <typename Enum>
struct Choice {
    Enum value;
    std::string_view name;
    std::string_view label;
    std::string_view tooltip;
    std::string_view legend = {};  // a plot legend's short name, where plots name the choice
};

// ChoiceTable<Enum>::rows lists every value of Enum, in the order the window offers them.
template <typename Enum>
struct ChoiceTable;

template <typename Enum>
concept HasChoices = requires {
    ChoiceTable<Enum>::rows;
};

template <>
struct ChoiceTable<BaselineKind> {
    static constexpr std::array<Choice<BaselineKind>, 10> rows = {{
        {BaselineKind::kNone, "none", "none (plain REINFORCE)",
         "No baseline: every sampled action is pushed up by its whole reward.", "none"},
        {BaselineKind::kConstant, "constant", "constant b",
         "Subtract a fixed number b from every reward; unbiased for any b.", "constant b"},
        {BaselineKind::kRunning, "running", "running mean of rewards",
         "Subtract a running average of past rewards, as in Sutton and Barto.", "running mean"},
        {BaselineKind::kBatchMean, "batch_mean", "batch mean (biased)",
         "Subtract the batch's mean reward, which includes the sample itself, so the gradient "
         "shrinks by (1 - 1/K).",
         "batch mean"},
        {BaselineKind::kRloo, "rloo", "leave-one-out (RLOO)",
         "Subtract the mean of the other K - 1 samples: unbiased, needs K >= 2.", "RLOO"},
        {BaselineKind::kExpected, "expected", "E[R] (oracle)",
         "Subtract the true expected reward E[R] (an oracle a real trainer lacks).", "E[R]"},
        {BaselineKind::kOptimal, "optimal", "optimal b* (oracle)",
         "Subtract the variance-minimising constant b*, which is not quite E[R].", "b*"},
        {BaselineKind::kGroupNorm, "group_norm", "group-normalised (GRPO)",
         "Standardise the batch's rewards (mean and standard deviation), as GRPO does.",
         "group norm"},
        {BaselineKind::kPrefixValue, "prefix_value", "prefix value (oracle critic)",
         "Subtract, at each token, the exact expected return given the tokens before it.",
         "prefix value"},
        {BaselineKind::kLearnedValue, "learned_value", "learned critic V(state)",
         "Subtract a table of state values learned from sampled returns with its own step size.",
         "learned V"},
    }};
};

// Baselines that need positions and prefixes, so a one-step (bandit) problem does not offer them.
constexpr bool sequence_only(BaselineKind kind) {
    return kind == BaselineKind::kPrefixValue || kind == BaselineKind::kLearnedValue;
}

template <>
struct ChoiceTable<Credit> {
    static constexpr std::array<Choice<Credit>, 2> rows = {{
        {Credit::kFullReturn, "full_return", "full return",
         "Every token's score is multiplied by the whole return.", "full return"},
        {Credit::kRewardToGo, "reward_to_go", "rewards-to-go",
         "Each token's score is multiplied by the rewards from that token on.", "rewards-to-go"},
    }};
};

template <>
struct ChoiceTable<ProblemKind> {
    static constexpr std::array<Choice<ProblemKind>, 3> rows = {{
        {ProblemKind::kBandit, "bandit", "one step (bandit)",
         "Draw one action, get one reward: the bandit of the first lessons."},
        {ProblemKind::kTokens, "tokens", "token sequence",
         "Draw length tokens one after another; rewards per token and at the end."},
        {ProblemKind::kTable, "table", "episodic table",
         "Move through the table's states until a terminal one or the step cap."},
    }};
};

template <>
struct ChoiceTable<TokenPolicyForm> {
    static constexpr std::array<Choice<TokenPolicyForm>, 3> rows = {{
        {TokenPolicyForm::kPerPosition, "per_position", "logits per position",
         "Each position has its own logits over the tokens."},
        {TokenPolicyForm::kPreviousToken, "previous_token", "on the previous token",
         "Each position's logits depend on the token before it (the first on a start symbol)."},
        {TokenPolicyForm::kShared, "shared", "one set for every position",
         "Every position draws from the same logits."},
    }};
};

template <>
struct ChoiceTable<OutcomeRule> {
    static constexpr std::array<Choice<OutcomeRule>, 5> rows = {{
        {OutcomeRule::kNone, "none", "none", "No reward at the end: only the tokens' own."},
        {OutcomeRule::kAllMarked, "all_marked", "every token marked",
         "Pays at the end when every token is a marked (correct) one."},
        {OutcomeRule::kAtLeast, "at_least", "at least k marked",
         "Pays at the end when at least outcome_count tokens are marked ones."},
        {OutcomeRule::kContains, "contains", "contains a marked token",
         "Pays at the end when some token is a marked (target) one."},
        {OutcomeRule::kAvoids, "avoids", "no marked token",
         "Pays at the end when no token is a marked (error) one."},
    }};
};

template <>
struct ChoiceTable<RunningMode> {
    static constexpr std::array<Choice<RunningMode>, 2> rows = {{
        {RunningMode::kEma, "ema", "decayed (EMA)",
         "b follows recent batches: each step keeps `decay` of the old b."},
        {RunningMode::kAverage, "average", "average of all rewards",
         "b is the mean of every reward so far, this step's included."},
    }};
};

template <>
struct ChoiceTable<KlMode> {
    static constexpr std::array<Choice<KlMode>, 2> rows = {{
        {KlMode::kPenalty, "penalty", "exact penalty",
         "Adds the exact gradient of -beta KL(pi || ref) to every estimate."},
        {KlMode::kReward, "reward", "folded into the reward",
         "Subtracts beta (log pi - log ref) from each sampled reward, as RLHF trainers do."},
    }};
};

template <>
struct ChoiceTable<Parameterization> {
    static constexpr std::array<Choice<Parameterization>, 2> rows = {{
        {Parameterization::kFree, "free", "softmax, N free logits", "One logit per action."},
        {Parameterization::kPinnedLast, "pinned", "last logit pinned at 0",
         "The last logit stays 0, which for two actions is the sigmoid policy."},
    }};
};

template <>
struct ChoiceTable<RewardKind> {
    static constexpr std::array<Choice<RewardKind>, 3> rows = {{
        {RewardKind::kFixed, "fixed", "fixed", "Pays the same every time."},
        {RewardKind::kGaussian, "gaussian", "Gaussian", "Pays its mean plus Gaussian noise."},
        {RewardKind::kBernoulli, "bernoulli", "Bernoulli", "Pays hi with probability p, else lo."},
    }};
};

template <HasChoices Enum>
constexpr const auto& choices() {
    return ChoiceTable<Enum>::rows;
}

// The row of `value`; the first row for a value outside the table (it cannot be made by parsing).
template <HasChoices Enum>
constexpr const Choice<Enum>& choice_of(Enum value) {
    for (const Choice<Enum>& c : choices<Enum>())
        if (c.value == value) return c;
    return choices<Enum>().front();
}

template <HasChoices Enum>
constexpr std::string_view to_string(Enum value) {
    return choice_of(value).name;
}

// False, leaving `out` alone, when `text` names no choice.
template <HasChoices Enum>
constexpr bool parse_choice(std::string_view text, Enum& out) {
    for (const Choice<Enum>& c : choices<Enum>()) {
        if (c.name == text) {
            out = c.value;
            return true;
        }
    }
    return false;
}

// "none, constant, running, ...": for messages.
template <HasChoices Enum>
std::string choice_names() {
    std::string names;
    for (const Choice<Enum>& c : choices<Enum>()) {
        if (!names.empty()) names += ", ";
        names += std::string(c.name);
    }
    return names;
}

// Every value, in the table's order.
template <HasChoices Enum>
constexpr auto all_values() {
    std::array<Enum, std::tuple_size_v<std::remove_cvref_t<decltype(choices<Enum>())>>> values{};
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = choices<Enum>()[i].value;
    return values;
}

// A choice a one-step problem offers: every one but those that need episodes.
template <typename Enum>
constexpr bool offered_for_bandits(Enum value) {
    if constexpr (std::is_same_v<Enum, BaselineKind>) return !sequence_only(value);
    return true;
}

template <HasChoices Enum>
constexpr std::size_t bandit_choice_count() {
    std::size_t n = 0;
    for (const Choice<Enum>& c : choices<Enum>())
        n += offered_for_bandits(c.value) ? 1 : 0;
    return n;
}

// The baselines of a one-step problem, in the table's order.
inline constexpr auto kBanditBaselines = [] {
    std::array<BaselineKind, bandit_choice_count<BaselineKind>()> values{};
    std::size_t i = 0;
    for (const Choice<BaselineKind>& c : choices<BaselineKind>())
        if (offered_for_bandits(c.value)) values[i++] = c.value;
    return values;
}();

}  // namespace rl::core
