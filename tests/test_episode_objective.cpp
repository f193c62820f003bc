// The KL anchor, the entropy bonus and clipping on episodes (src/core/episodes/episode_objective,
// docs/MATH.md 13.8): the exact mean of every unbiased estimator is the gradient of
// raw J - beta KL + c_H H, checked by central differences of that objective; the covariance is
// the brute-force oracle's on the problem the estimates are drawn from; the anchored optimum of a
// chain of tokens is where the closed form puts it; clipping caps each training step.

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_table.hpp"
#include "core/episodes/episode_training.hpp"
#include "core/episodes/token_sequence.hpp"
#include "support/episode_oracle.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::Credit;
using rl::core::EpisodeModel;
using rl::core::EpisodePolicy;
using rl::core::EstimatorSettings;
using rl::core::KlMode;
using rl::core::Parameterization;

struct Case {
    std::unique_ptr<EpisodeModel> model;
    EpisodePolicy policy;
    std::vector<double> reference;  // log-probabilities, blocks x actions
};

std::vector<Case> cases() {
    std::vector<Case> out;
    const auto add = [&](std::unique_ptr<EpisodeModel> model, Parameterization param,
                         unsigned seed) {
        const std::size_t A = model->actions(), B = model->blocks();
        Case c{std::move(model), rl_test::random_policy(param, A, B, seed), {}};
        c.reference = rl::core::episode_log_probs(rl_test::random_policy(param, A, B, seed + 5));
        out.push_back(std::move(c));
    };
    using rl::core::TokenPolicyForm;
    for (const TokenPolicyForm form :
         {TokenPolicyForm::kPerPosition, TokenPolicyForm::kPreviousToken, TokenPolicyForm::kShared})
        add(std::make_unique<rl::core::TokenSequenceModel>(rl_test::small_tokens(form, 3)),
            Parameterization::kFree, 3 + static_cast<unsigned>(form));
    add(std::make_unique<rl::core::TokenSequenceModel>(
            rl_test::small_tokens(TokenPolicyForm::kPerPosition, 2)),
        Parameterization::kPinnedLast, 7);
    add(std::make_unique<rl::core::EpisodeTableModel>(rl_test::small_table()),
        Parameterization::kFree, 11);
    return out;
}

EstimatorSettings regularized(KlMode mode, Credit credit, BaselineKind baseline) {
    EstimatorSettings s;
    s.kl_beta = 0.7;
    s.kl_mode = mode;
    s.entropy = 0.3;
    s.credit = credit;
    s.baseline = baseline;
    s.constant_b = 0.4;
    s.K = 2;
    return s;
}

rl::core::EpisodeExact exact_of(const Case& c, const EstimatorSettings& s) {
    const rl::core::EpisodeObjective objective =
        rl::core::episode_objective(*c.model, c.policy, c.reference, s);
    return rl::core::with_objective(
        rl::core::episode_exact(objective.sampled(), c.policy, rl::core::episode_estimator(s)),
        objective);
}

// d objective / d logit_i by central differences.
double slope(const Case& c, const EstimatorSettings& s, std::size_t i) {
    constexpr double h = 1e-5;
    EpisodePolicy p = c.policy;
    p.logits[i] = c.policy.logits[i] + h;
    p.refresh();
    const double up = rl::core::episode_objective_value(*c.model, p, c.reference, s);
    p.logits[i] = c.policy.logits[i] - h;
    p.refresh();
    const double down = rl::core::episode_objective_value(*c.model, p, c.reference, s);
    return (up - down) / (2.0 * h);
}

}  // namespace

TEST_CASE("episode objective: the exact mean is the gradient of J - beta KL + c_H H") {
    // Central differences of a smooth function with h = 1e-5: truncation ~1e-10, rounding ~1e-11.
    constexpr double kSlopeTolerance = 1e-7;
    const std::vector<Case> all = cases();
    for (std::size_t n = 0; n < all.size(); ++n) {
        const Case& c = all[n];
        for (const KlMode mode : {KlMode::kPenalty, KlMode::kReward}) {
            for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
                for (const BaselineKind kind :
                     {BaselineKind::kNone, BaselineKind::kConstant, BaselineKind::kExpected,
                      BaselineKind::kOptimal, BaselineKind::kRloo, BaselineKind::kPrefixValue}) {
                    const EstimatorSettings s = regularized(mode, credit, kind);
                    INFO("case " << n << ", mode " << static_cast<int>(mode) << ", credit "
                                 << static_cast<int>(credit) << ", baseline "
                                 << static_cast<int>(kind));
                    const rl::core::EpisodeExact exact = exact_of(c, s);
                    REQUIRE(exact.exact);
                    const std::size_t A = c.policy.actions, dim = c.policy.dim();
                    for (std::size_t i = 0; i < c.policy.logits.size(); ++i) {
                        INFO("component " << i);
                        if (i % A >= dim) {
                            CHECK(exact.mean[i] == 0.0);
                            continue;
                        }
                        const double want = slope(c, s, i);
                        CHECK(std::abs(exact.mean[i] - want) <=
                              kSlopeTolerance * (1 + std::abs(want)));
                        CHECK(std::abs(exact.gradient[i] - want) <=
                              kSlopeTolerance * (1 + std::abs(want)));
                    }
                }
            }
        }
    }
}

TEST_CASE("episode objective: the covariance is the brute-force oracle's, the mean moved by d") {
    constexpr double kTolerance = 1e-10;
    const std::vector<Case> all = cases();
    for (std::size_t n = 0; n < all.size(); ++n) {
        const Case& c = all[n];
        for (const KlMode mode : {KlMode::kPenalty, KlMode::kReward}) {
            for (const BaselineKind kind : {BaselineKind::kNone, BaselineKind::kRloo,
                                            BaselineKind::kBatchMean, BaselineKind::kPrefixValue}) {
                const EstimatorSettings s = regularized(mode, Credit::kRewardToGo, kind);
                INFO("case " << n << ", mode " << static_cast<int>(mode) << ", baseline "
                             << static_cast<int>(kind));
                const rl::core::EpisodeObjective objective =
                    rl::core::episode_objective(*c.model, c.policy, c.reference, s);
                // Folded into the rewards, the anchor leaves only the entropy sample-free.
                CHECK((objective.shaped != nullptr) == (mode == KlMode::kReward));
                const rl_test::EpisodeOracle oracle(objective.sampled(), c.policy);
                const auto [mean, trace] = oracle.moments(rl::core::episode_estimator(s));
                const rl::core::EpisodeExact exact = exact_of(c, s);
                REQUIRE(exact.exact);
                CHECK(std::abs(exact.trace_cov - trace) <= kTolerance * (1.0 + trace));
                for (std::size_t i = 0; i < mean.size(); ++i) {
                    const double want = mean[i] + objective.deterministic[i];
                    CHECK(std::abs(exact.mean[i] - want) <= kTolerance * (1.0 + std::abs(want)));
                }
            }
        }
    }
}

TEST_CASE("episode objective: the anchored optimum of a token chain is sigmoid(1 / beta)") {
    // Per position p - beta KL(p || 1/2) is stationary where 1 = beta log(p / (1 - p)), and
    // p + c_H H(p) where 1 = c_H log(p / (1 - p)): at p = sigmoid(1 / beta) (MATH 13.8).
    rl::core::TokenSequenceSpec spec;
    spec.tokens = {"good", "bad"};
    spec.length = 4;
    spec.token_rewards = {rl_test::fixed(1.0), rl_test::fixed(0.0)};
    const double beta = 0.5;
    const EpisodePolicy uniform =
        rl::core::make_episode_policy(Parameterization::kFree, 2, std::vector<double>(8, 0.0));
    // The logit difference 1 / beta puts P(good) at sigmoid(1 / beta) in every position.
    const EpisodePolicy optimum = rl::core::make_episode_policy(
        Parameterization::kFree, 2, {1 / beta, 0.0, 1 / beta, 0.0, 1 / beta, 0.0, 1 / beta, 0.0});
    const std::vector<double> reference = rl::core::episode_log_probs(uniform);
    for (const int variant : {0, 1, 2}) {
        EstimatorSettings s;
        s.kl_beta = variant < 2 ? beta : 0.0;
        s.kl_mode = variant == 0 ? KlMode::kPenalty : KlMode::kReward;
        s.entropy = variant == 2 ? beta : 0.0;
        s.credit = Credit::kRewardToGo;
        INFO("variant " << variant);
        const Case at{std::make_unique<rl::core::TokenSequenceModel>(spec), optimum, reference};
        const rl::core::EpisodeExact still = exact_of(at, s);
        REQUIRE(still.exact);
        for (const double g : still.mean)
            CHECK(std::abs(g) < 1e-12);
        // At the uniform start the pull is the reward's alone: +-1/4 on each position's logits.
        const Case start{std::make_unique<rl::core::TokenSequenceModel>(spec), uniform, reference};
        const rl::core::EpisodeExact pulled = exact_of(start, s);
        for (std::size_t i = 0; i < pulled.mean.size(); ++i)
            CHECK(std::abs(pulled.mean[i] - (i % 2 == 0 ? 0.25 : -0.25)) < 1e-12);
    }
}

TEST_CASE("episode objective: clipping caps every step and has no exact values") {
    rl::core::TokenSequenceModel chain(
        rl_test::small_tokens(rl::core::TokenPolicyForm::kPerPosition, 6));
    const EpisodePolicy start =
        rl::core::make_episode_policy(Parameterization::kFree, 2, std::vector<double>(12, 0.0));
    EstimatorSettings s;
    s.clip = 1e-3;
    s.lr = 1.0;
    s.K = 4;
    const std::vector<double> reference = rl::core::episode_log_probs(start);
    rl::core::EpisodeRunState run = rl::core::start_run(chain, start, s);
    int capped = 0;
    for (std::uint32_t step = 0; step < 20; ++step) {
        const std::vector<double> before = run.policy.logits;
        REQUIRE(rl::core::episode_train_step(chain, reference, run, s,
                                             {5, rl::core::Purpose::kEpisodeTrain, 0, step, 0}) ==
                "");
        double moved2 = 0.0;
        for (std::size_t i = 0; i < before.size(); ++i)
            moved2 += (run.policy.logits[i] - before[i]) * (run.policy.logits[i] - before[i]);
        const double moved = std::sqrt(moved2);
        CHECK(moved <= s.lr * s.clip * (1.0 + 1e-12));
        if (std::abs(moved - s.lr * s.clip) < 1e-15) ++capped;
    }
    // Unclipped, these estimates have norms near 1 (six positions of rewards of order 1).
    CHECK(capped == 20);
    const Case c{std::make_unique<rl::core::TokenSequenceModel>(
                     rl_test::small_tokens(rl::core::TokenPolicyForm::kPerPosition, 6)),
                 start, reference};
    const rl::core::EpisodeExact exact = exact_of(c, s);
    CHECK_FALSE(exact.exact);
    CHECK(exact.reason == "gradient clipping has no closed form: Monte Carlo only");
    CHECK(exact.gradient.size() == 12);
}
