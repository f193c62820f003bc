#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/episodes/episode_model.hpp"

// The language-model stand-in: T tokens drawn one position after another from a vocabulary of V.
namespace rl::core {

enum class TokenPolicyForm {
    kPerPosition,    // one logit set per position (T blocks)
    kPreviousToken,  // per position and previous token; the first position on a start symbol
    kShared,         // one logit set every position uses
};

// The outcome paid once, at the last token, on top of the per-token rewards.
enum class OutcomeRule {
    kNone,
    kAllMarked,  // every token is a marked ("correct") one
    kAtLeast,    // at least `outcome_count` marked tokens
    kContains,   // some token is marked (a target)
    kAvoids,     // no token is marked (an error token)
};

struct TokenSequenceSpec {
    std::vector<std::string> tokens;  // V names
    int length = 8;                   // T
    TokenPolicyForm form = TokenPolicyForm::kPerPosition;
    // V per-token rewards, or T x V (position-major) for rewards that depend on the position.
    std::vector<RewardModel> token_rewards;
    double discount = 1.0;
    OutcomeRule outcome = OutcomeRule::kNone;
    std::vector<std::uint32_t> marked;  // the tokens the rule counts
    int outcome_count = 1;              // k of kAtLeast
    double outcome_reward = 1.0;        // paid when the rule holds
    double outcome_else = 0.0;          // paid when it does not
};

// Logit blocks the form needs: T, 1 + (T - 1) V, or 1.
std::size_t token_policy_blocks(TokenPolicyForm form, std::size_t vocabulary, int length);

class TokenSequenceModel final : public EpisodeModel {
  public:
    explicit TokenSequenceModel(TokenSequenceSpec spec);

    std::size_t actions() const override { return spec_.tokens.size(); }
    std::size_t blocks() const override;
    int horizon() const override { return spec_.length; }
    double discount() const override { return spec_.discount; }
    std::uint32_t start() const override;
    std::uint32_t situations() const override;
    bool terminal(std::uint32_t) const override { return false; }
    std::uint32_t block(int t, std::uint32_t x) const override;
    void outcomes(int t, std::uint32_t x, std::uint32_t a,
                  std::vector<EpisodeOutcome>& out) const override;

    // Per-position and previous-token blocks belong to one position each.
    bool decisions_share_blocks() const override { return spec_.form == TokenPolicyForm::kShared; }

    const TokenSequenceSpec& spec() const { return spec_; }
    // Whether the outcome rule holds in the situation the last token leads to.
    bool outcome_holds(std::uint32_t x) const;

  private:
    // A situation is the previous token (V means the start symbol; only kept for
    // kPreviousToken) and the rule's counter.
    std::uint32_t counter_states() const;
    std::uint32_t advance_counter(std::uint32_t counter, std::uint32_t token) const;

    TokenSequenceSpec spec_;
    std::vector<bool> is_marked_;
};

}  // namespace rl::core
