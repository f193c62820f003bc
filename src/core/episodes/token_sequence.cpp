#include "core/episodes/token_sequence.hpp"

#include <algorithm>

namespace rl::core {

std::size_t token_policy_blocks(TokenPolicyForm form, std::size_t vocabulary, int length) {
    const auto T = static_cast<std::size_t>(length);
    switch (form) {
        case TokenPolicyForm::kPreviousToken:
            return 1 + (T - 1) * vocabulary;
        case TokenPolicyForm::kShared:
            return 1;
        case TokenPolicyForm::kPerPosition:
        default:
            return T;
    }
}

TokenSequenceModel::TokenSequenceModel(TokenSequenceSpec spec) : spec_(std::move(spec)) {
    is_marked_.assign(spec_.tokens.size(), false);
    for (const std::uint32_t m : spec_.marked)
        if (m < is_marked_.size()) is_marked_[m] = true;
}

std::size_t TokenSequenceModel::blocks() const {
    return token_policy_blocks(spec_.form, spec_.tokens.size(), spec_.length);
}

// Counters: all-marked and avoids keep "still holds" (1) or "broken" (0); contains keeps "seen";
// at-least keeps the count of marked tokens, capped at k since more changes nothing.
std::uint32_t TokenSequenceModel::counter_states() const {
    switch (spec_.outcome) {
        case OutcomeRule::kAtLeast:
            return static_cast<std::uint32_t>(std::max(spec_.outcome_count, 0)) + 1;
        case OutcomeRule::kNone:
            return 1;
        default:
            return 2;
    }
}

std::uint32_t TokenSequenceModel::advance_counter(std::uint32_t counter,
                                                  std::uint32_t token) const {
    const bool marked = is_marked_[token];
    switch (spec_.outcome) {
        case OutcomeRule::kAllMarked:
            return counter != 0 && marked ? 1 : 0;
        case OutcomeRule::kAvoids:
            return counter != 0 && !marked ? 1 : 0;
        case OutcomeRule::kContains:
            return counter != 0 || marked ? 1 : 0;
        case OutcomeRule::kAtLeast:
            return std::min(counter + (marked ? 1u : 0u), counter_states() - 1);
        case OutcomeRule::kNone:
        default:
            return 0;
    }
}

bool TokenSequenceModel::outcome_holds(std::uint32_t x) const {
    const std::uint32_t counter = x % counter_states();
    switch (spec_.outcome) {
        case OutcomeRule::kAtLeast:
            return counter + 1 == counter_states();
        case OutcomeRule::kNone:
            return false;
        default:
            return counter == 1;
    }
}

std::uint32_t TokenSequenceModel::situations() const {
    const auto previous = spec_.form == TokenPolicyForm::kPreviousToken
                              ? static_cast<std::uint32_t>(spec_.tokens.size()) + 1
                              : 1u;
    return previous * counter_states();
}

std::uint32_t TokenSequenceModel::start() const {
    const bool starts_holding =
        spec_.outcome == OutcomeRule::kAllMarked || spec_.outcome == OutcomeRule::kAvoids;
    const std::uint32_t counter = starts_holding ? 1 : 0;
    const std::uint32_t previous = spec_.form == TokenPolicyForm::kPreviousToken
                                       ? static_cast<std::uint32_t>(spec_.tokens.size())
                                       : 0u;
    return previous * counter_states() + counter;
}

std::uint32_t TokenSequenceModel::block(int t, std::uint32_t x) const {
    switch (spec_.form) {
        case TokenPolicyForm::kShared:
            return 0;
        case TokenPolicyForm::kPreviousToken: {
            const std::uint32_t previous = x / counter_states();
            // Only decision 0 follows the start symbol; a situation after it at a later
            // decision is never reached, but the dynamic programs visit every situation, so it
            // still needs a real block.
            if (t == 0 || previous >= spec_.tokens.size()) return 0;
            return 1 +
                   static_cast<std::uint32_t>(t - 1) *
                       static_cast<std::uint32_t>(spec_.tokens.size()) +
                   previous;
        }
        case TokenPolicyForm::kPerPosition:
        default:
            return static_cast<std::uint32_t>(t);
    }
}

void TokenSequenceModel::outcomes(int t, std::uint32_t x, std::uint32_t a,
                                  std::vector<EpisodeOutcome>& out) const {
    const std::uint32_t counter = advance_counter(x % counter_states(), a);
    const std::uint32_t previous = spec_.form == TokenPolicyForm::kPreviousToken ? a : 0u;
    const std::uint32_t next = previous * counter_states() + counter;
    const std::size_t V = spec_.tokens.size();
    const bool per_position =
        spec_.token_rewards.size() == V * static_cast<std::size_t>(spec_.length);
    RewardModel reward =
        spec_.token_rewards[per_position ? static_cast<std::size_t>(t) * V + a : a];
    if (t + 1 == spec_.length && spec_.outcome != OutcomeRule::kNone)
        reward =
            shifted_reward(reward, outcome_holds(next) ? spec_.outcome_reward : spec_.outcome_else);
    out.assign(1, EpisodeOutcome{1.0, next, reward});
}

}  // namespace rl::core
