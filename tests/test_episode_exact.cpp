// The episode estimators' exact moments (src/core/episodes, docs/MATH.md section 13) against the
// brute-force oracle of tests/support/episode_oracle.hpp, which walks every K-tuple of
// trajectories. Also: one token is the bandit, and the short corridor's value and gradient.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_table.hpp"
#include "core/episodes/token_sequence.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "support/episode_oracle.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::Credit;
using rl::core::EpisodeModel;
using rl::core::EpisodePolicy;
using rl::core::Parameterization;
using rl::core::RewardModel;
using rl_test::bernoulli;
using rl_test::fixed;
using rl_test::random_policy;
using rl_test::small_tokens;

constexpr double kTolerance = 1e-10;

bool close(double a, double b) {
    return std::abs(a - b) <= kTolerance * (1.0 + std::abs(b));
}

const BaselineKind kExactKinds[] = {BaselineKind::kNone,       BaselineKind::kConstant,
                                    BaselineKind::kExpected,   BaselineKind::kOptimal,
                                    BaselineKind::kRloo,       BaselineKind::kBatchMean,
                                    BaselineKind::kPrefixValue};

void check_against_oracle(const EpisodeModel& model, const EpisodePolicy& policy, int max_K) {
    const rl_test::EpisodeOracle oracle(model, policy);
    const rl::core::EpisodeValues values = rl::core::episode_values(model, policy);
    CHECK(close(values.J, oracle.reward_to_go_mean()));
    for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
        for (const BaselineKind kind : kExactKinds) {
            for (int K = 1; K <= max_K; ++K) {
                if (kind == BaselineKind::kRloo && K < 2) continue;
                rl::core::EpisodeEstimator e;
                e.credit = credit;
                e.baseline = kind;
                e.constant_b = 1.25;
                e.K = K;
                INFO("credit " << static_cast<int>(credit) << ", baseline "
                               << static_cast<int>(kind) << ", K " << K);
                const rl::core::EpisodeExact exact = rl::core::episode_exact(model, policy, e);
                REQUIRE(exact.exact);
                const auto [mean, trace] = oracle.moments(e);
                REQUIRE(exact.mean.size() == mean.size());
                for (std::size_t i = 0; i < mean.size(); ++i) {
                    CHECK(close(exact.mean[i], mean[i]));
                    // Every unbiased estimator's mean is grad J; the batch mean's is (1 - 1/K)
                    // of it.
                    const double shrink = kind == BaselineKind::kBatchMean ? (K - 1.0) / K : 1.0;
                    CHECK(close(mean[i], shrink * values.gradient[i]));
                }
                CHECK(close(exact.trace_cov, trace));
            }
        }
    }
}

}  // namespace

TEST_CASE("episode exact: token sequences match brute force over every K-tuple, every form") {
    for (const auto form :
         {rl::core::TokenPolicyForm::kPerPosition, rl::core::TokenPolicyForm::kPreviousToken,
          rl::core::TokenPolicyForm::kShared}) {
        for (const Parameterization param :
             {Parameterization::kFree, Parameterization::kPinnedLast}) {
            INFO("form " << static_cast<int>(form) << ", param " << static_cast<int>(param));
            const rl::core::TokenSequenceModel two(small_tokens(form, 2));
            check_against_oracle(two, random_policy(param, 2, two.blocks(), 3), 3);
            const rl::core::TokenSequenceModel three(small_tokens(form, 3));
            check_against_oracle(three, random_policy(param, 2, three.blocks(), 5), 2);
        }
    }
}

TEST_CASE("episode exact: outcome rules pay at the end and match brute force") {
    for (const auto rule : {rl::core::OutcomeRule::kAllMarked, rl::core::OutcomeRule::kAtLeast,
                            rl::core::OutcomeRule::kContains, rl::core::OutcomeRule::kAvoids}) {
        INFO("rule " << static_cast<int>(rule));
        rl::core::TokenSequenceSpec spec;
        spec.tokens = {"a", "b", "c"};
        spec.length = 3;
        spec.token_rewards = {fixed(0.0), fixed(0.1), fixed(0.0)};
        spec.outcome = rule;
        spec.marked = {0};
        spec.outcome_count = 2;
        spec.outcome_reward = 2.0;
        spec.outcome_else = -1.0;
        const rl::core::TokenSequenceModel model(spec);
        const EpisodePolicy policy = random_policy(Parameterization::kFree, 3, model.blocks(), 7);
        check_against_oracle(model, policy, 2);
        // The rule itself, on the sequence a a b: all-marked fails, at-least-2 and contains
        // hold, avoids fails.
        std::uint32_t x = model.start();
        std::vector<rl::core::EpisodeOutcome> o;
        for (const std::uint32_t token : {0u, 0u, 1u}) {
            model.outcomes(0, x, token, o);
            x = o.front().next;
        }
        const bool holds =
            rule == rl::core::OutcomeRule::kAtLeast || rule == rl::core::OutcomeRule::kContains;
        CHECK(model.outcome_holds(x) == holds);
    }
}

TEST_CASE("episode exact: a table with random moves and an early end matches brute force") {
    rl::core::EpisodeTableSpec spec = rl_test::small_table();
    const rl::core::EpisodeTableModel per_state(spec);
    check_against_oracle(per_state, random_policy(Parameterization::kFree, 2, 3, 11), 2);
    spec.state_block = {0, 0, 0};  // the learner cannot tell s0 from s1
    const rl::core::EpisodeTableModel aliased(spec);
    check_against_oracle(aliased, random_policy(Parameterization::kPinnedLast, 2, 1, 13), 2);
}

TEST_CASE("episode exact: one token is the bandit, to the last digit") {
    const std::vector<RewardModel> rewards = {fixed(8.0), bernoulli(0.4, 1.0, 5.0), fixed(5.0)};
    for (const Parameterization param : {Parameterization::kFree, Parameterization::kPinnedLast}) {
        rl::core::TokenSequenceSpec spec;
        spec.tokens = {"yes", "no", "maybe"};
        spec.length = 1;
        spec.token_rewards = rewards;
        const rl::core::TokenSequenceModel model(spec);
        const std::vector<double> logits =
            rl::core::logits_from_probabilities(std::vector<double>{0.3, 0.5, 0.2}, param);
        const EpisodePolicy policy = rl::core::make_episode_policy(param, 3, logits);
        std::vector<double> rbar, var;
        for (const RewardModel& r : rewards) {
            rbar.push_back(r.expected());
            var.push_back(r.variance());
        }
        for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
            for (const BaselineKind kind : kExactKinds) {
                if (kind == BaselineKind::kPrefixValue) continue;  // no bandit counterpart
                for (int K = 1; K <= 5; ++K) {
                    if (kind == BaselineKind::kRloo && K < 2) continue;
                    INFO("param " << static_cast<int>(param) << ", baseline "
                                  << static_cast<int>(kind) << ", K " << K);
                    rl::core::EstimatorSettings s;
                    s.baseline = kind;
                    s.constant_b = 4.5;
                    s.K = K;
                    const rl::core::PolicyPoint pt =
                        rl::core::make_policy_point(logits, param, rbar, var, {}, s);
                    const rl::core::ExactEstimate bandit = rl::core::exact_estimate(pt, s, K);
                    rl::core::EpisodeEstimator e;
                    e.credit = credit;
                    e.baseline = kind;
                    e.constant_b = 4.5;
                    e.K = K;
                    const rl::core::EpisodeExact episode =
                        rl::core::episode_exact(model, policy, e);
                    REQUIRE(bandit.closed_form);
                    REQUIRE(episode.exact);
                    CHECK(close(episode.J, pt.J));
                    CHECK(close(episode.trace_cov, bandit.trace_cov));
                    for (std::size_t i = 0; i < 3; ++i)
                        CHECK(close(episode.mean[i], bandit.mean[i]));
                }
            }
        }
    }
}

TEST_CASE("episode exact: the short corridor's value and gradient are Sutton and Barto's") {
    // Right with probability p: J(p) = (2p - 4) / (p (1 - p)), the best p = 2 - sqrt 2 with
    // J about -11.6 (docs/MATH.md 13.5). Pinned logits: p(left) = sigmoid(theta).
    const rl::core::EpisodeTableModel corridor(rl::core::short_corridor(4000));
    for (const double p : {0.2, 0.5, 2.0 - std::sqrt(2.0), 0.8}) {
        INFO("p(right) = " << p);
        const double theta = std::log((1.0 - p) / p);
        const EpisodePolicy policy =
            rl::core::make_episode_policy(Parameterization::kPinnedLast, 2, {theta, 0.0});
        const rl::core::EpisodeValues v = rl::core::episode_values(corridor, policy);
        const double J = (2.0 * p - 4.0) / (p * (1.0 - p));
        CHECK(std::abs(v.J - J) < 1e-9);
        // dJ/dtheta = dJ/dp dp/dtheta, dp/dtheta = -p (1 - p).
        const double dJdp = (2.0 * p * (1.0 - p) - (2.0 * p - 4.0) * (1.0 - 2.0 * p)) /
                            (p * p * (1.0 - p) * (1.0 - p));
        CHECK(std::abs(v.gradient[0] - dJdp * (-p * (1.0 - p))) < 1e-8);
        CHECK(v.gradient[1] == 0.0);
    }
    // Every trajectory of a 4000-step corridor is far too many to enumerate.
    rl::core::EpisodeEstimator e;
    const rl::core::EpisodeExact exact = rl::core::episode_exact(
        corridor, rl::core::make_episode_policy(Parameterization::kPinnedLast, 2, {0.0, 0.0}), e);
    CHECK_FALSE(exact.exact);
    CHECK(exact.reason.find("2^20") != std::string::npos);
}

TEST_CASE("episode exact: baselines with no closed form say why") {
    const rl::core::TokenSequenceModel model(small_tokens(rl::core::TokenPolicyForm::kShared, 2));
    const EpisodePolicy policy = random_policy(Parameterization::kFree, 2, 1, 1);
    for (const BaselineKind kind :
         {BaselineKind::kRunning, BaselineKind::kGroupNorm, BaselineKind::kLearnedValue}) {
        rl::core::EpisodeEstimator e;
        e.baseline = kind;
        e.K = 4;
        const rl::core::EpisodeExact exact = rl::core::episode_exact(model, policy, e);
        CHECK_FALSE(exact.exact);
        CHECK(exact.reason.find("Monte Carlo only") != std::string::npos);
        CHECK(exact.gradient.size() == 2);  // grad J is exact all the same
    }
    rl::core::EpisodeEstimator loo;
    loo.baseline = BaselineKind::kRloo;
    CHECK(rl::core::episode_exact(model, policy, loo).reason == "leave-one-out needs K >= 2");
}

TEST_CASE(
    "episode exact: dynamic programming gives the enumeration's moments where blocks differ") {
    for (const auto form :
         {rl::core::TokenPolicyForm::kPerPosition, rl::core::TokenPolicyForm::kPreviousToken}) {
        for (const auto rule : {rl::core::OutcomeRule::kNone, rl::core::OutcomeRule::kAtLeast,
                                rl::core::OutcomeRule::kAvoids}) {
            rl::core::TokenSequenceSpec spec = small_tokens(form, 4);
            spec.tokens.push_back("odd");
            spec.token_rewards.push_back(bernoulli(0.25, -1.0, 3.0));
            spec.outcome = rule;
            spec.marked = {1};
            spec.outcome_count = 2;
            spec.outcome_reward = 1.5;
            spec.outcome_else = -0.5;
            const rl::core::TokenSequenceModel model(spec);
            REQUIRE_FALSE(model.decisions_share_blocks());
            const EpisodePolicy policy =
                random_policy(Parameterization::kPinnedLast, 3, model.blocks(), 17);
            const rl::core::EpisodeValues values = rl::core::episode_values(model, policy);
            for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
                rl::core::EpisodeMomentsResult walked =
                    rl::core::episode_moments(model, policy, values, credit, true);
                REQUIRE(walked.ok);
                rl::core::EpisodeMomentsResult dp;
                dp.ok = true;
                dp.moments = rl::core::episode_moments_dp(model, policy, values, credit, true);
                for (const BaselineKind kind : kExactKinds) {
                    for (int K = 1; K <= 4; ++K) {
                        if (kind == BaselineKind::kRloo && K < 2) continue;
                        INFO("form " << static_cast<int>(form) << ", rule "
                                     << static_cast<int>(rule) << ", credit "
                                     << static_cast<int>(credit) << ", baseline "
                                     << static_cast<int>(kind) << ", K " << K);
                        rl::core::EpisodeEstimator e;
                        e.credit = credit;
                        e.baseline = kind;
                        e.constant_b = -0.75;
                        e.K = K;
                        const rl::core::EpisodeExact a =
                            rl::core::episode_exact_from(model, values, walked, e);
                        const rl::core::EpisodeExact b =
                            rl::core::episode_exact_from(model, values, dp, e);
                        REQUIRE(a.exact);
                        REQUIRE(b.exact);
                        CHECK(close(b.trace_cov, a.trace_cov));
                        for (std::size_t i = 0; i < a.mean.size(); ++i)
                            CHECK(close(b.mean[i], a.mean[i]));
                    }
                }
            }
        }
    }
}

TEST_CASE("episode exact: one bad token in twenty, 4^20 answers, has exact values") {
    rl::core::TokenSequenceSpec spec;
    spec.tokens = {"clear", "accurate", "fine", "error"};
    spec.length = 20;
    spec.token_rewards = {fixed(0.0), fixed(0.0), fixed(0.0), fixed(0.0)};
    spec.outcome = rl::core::OutcomeRule::kAvoids;
    spec.marked = {3};
    const rl::core::TokenSequenceModel model(spec);
    const EpisodePolicy policy = rl::core::make_episode_policy(
        Parameterization::kFree, 4,
        std::vector<double>(80, 0.0));  // uniform: P(no error) = 0.75^20
    rl::core::EpisodeEstimator e;
    e.K = 8;
    const rl::core::EpisodeExact exact = rl::core::episode_exact(model, policy, e);
    REQUIRE(exact.exact);
    CHECK(std::abs(exact.J - std::pow(0.75, 20)) < 1e-15);
    // With the full return and no baseline each position's score is weighted by R = 1{no error}:
    // tr Cov_1 = sum_t E[R^2 |psi_t|^2] - |grad J|^2, |psi|^2 = 1 - 2 pi_a + |pi|^2 = 1 - 2/4 +
    // 1/4. Given no error, position t drew one of the three good tokens: |psi|^2 = 0.75 each.
    const double J = std::pow(0.75, 20);
    const double second = 20 * J * 0.75;
    double g2 = 0.0;
    for (const double x : exact.gradient)
        g2 += x * x;
    CHECK(std::abs(exact.trace_cov - (second - g2) / 8) < 1e-15);
}
