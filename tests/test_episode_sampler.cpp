// Monte Carlo for episodes (src/core/episodes/episode_sampler) against the exact distribution of
// tests/support/episode_oracle.hpp: episodes come with their probabilities, and the batch
// estimate's mean and covariance trace lie within 5 standard errors of the exact ones, the
// errors taken from the exact distribution (its covariance and fourth moment, docs/MATH.md 12).

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <vector>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_sampler.hpp"
#include "core/episodes/episode_table.hpp"
#include "core/episodes/token_sequence.hpp"
#include "support/episode_oracle.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::Credit;
using rl::core::EpisodeModel;
using rl::core::EpisodePolicy;
using rl::core::Parameterization;

constexpr double kZ = 5.0;

rl::core::StreamKey key_for(std::uint32_t batch) {
    return {20261202, rl::core::Purpose::kEpisodeCloud, 0, 0, batch};
}

// The exact mean, the covariance matrix, its trace, tr(C^2) and E||g - Eg||^4.
struct Exact {
    std::vector<double> mean;
    std::vector<std::vector<double>> cov;
    double trace = 0.0, trace_c2 = 0.0, fourth = 0.0;
};

Exact exact_of(const std::vector<rl_test::EpisodeOracle::Outcome>& outcomes, std::size_t n) {
    Exact x;
    x.mean.assign(n, 0.0);
    x.cov.assign(n, std::vector<double>(n, 0.0));
    for (const auto& o : outcomes)
        for (std::size_t i = 0; i < n; ++i)
            x.mean[i] += o.prob * o.g[i];
    for (const auto& o : outcomes) {
        double d2 = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            d2 += (o.g[i] - x.mean[i]) * (o.g[i] - x.mean[i]);
            for (std::size_t j = 0; j < n; ++j)
                x.cov[i][j] += o.prob * (o.g[i] - x.mean[i]) * (o.g[j] - x.mean[j]);
        }
        x.fourth += o.prob * d2 * d2;
    }
    for (std::size_t i = 0; i < n; ++i) {
        x.trace += x.cov[i][i];
        for (std::size_t j = 0; j < n; ++j)
            x.trace_c2 += x.cov[i][j] * x.cov[j][i];
    }
    return x;
}

void check_monte_carlo(const EpisodeModel& model, const EpisodePolicy& policy, int K,
                       std::uint32_t batches) {
    const rl_test::EpisodeOracle oracle(model, policy);
    const rl::core::EpisodeValues values = rl::core::episode_values(model, policy);
    const std::size_t n = policy.logits.size();
    std::vector<rl::core::EpisodeOutcome> scratch;
    std::vector<std::vector<rl::core::SampledEpisode>> drawn(batches);
    for (std::uint32_t m = 0; m < batches; ++m) {
        drawn[m].resize(static_cast<std::size_t>(K));
        for (std::uint32_t k = 0; k < static_cast<std::uint32_t>(K); ++k)
            rl::core::sample_episode(model, policy, key_for(m), k, scratch, drawn[m][k]);
    }
    for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
        for (const BaselineKind kind :
             {BaselineKind::kNone, BaselineKind::kConstant, BaselineKind::kExpected,
              BaselineKind::kOptimal, BaselineKind::kRloo, BaselineKind::kBatchMean,
              BaselineKind::kGroupNorm, BaselineKind::kPrefixValue}) {
            rl::core::EpisodeEstimator e;
            e.credit = credit;
            e.baseline = kind;
            e.constant_b = 0.75;
            e.K = K;
            INFO("credit " << static_cast<int>(credit) << ", baseline " << static_cast<int>(kind)
                           << ", K " << K);
            const Exact x = exact_of(oracle.distribution(e), n);
            rl::core::EpisodeBaselineInputs inputs;
            const rl::core::EpisodeMomentsResult moments =
                rl::core::episode_moments(model, policy, values, credit, false);
            REQUIRE(moments.ok);
            inputs.per_position =
                rl::core::fixed_episode_baselines(moments.moments, e, model.discount());
            inputs.values = values.value;
            inputs.value_index = rl::core::prefix_value_index;
            std::vector<double> sum(n, 0.0), g(n);
            std::vector<std::vector<double>> all(batches);
            for (std::uint32_t m = 0; m < batches; ++m) {
                rl::core::episode_gradient(model, policy, e, inputs, drawn[m], g);
                all[m] = g;
                for (std::size_t i = 0; i < n; ++i)
                    sum[i] += g[i];
            }
            const double M = batches;
            std::vector<double> mean(n);
            for (std::size_t i = 0; i < n; ++i) {
                mean[i] = sum[i] / M;
                const double se = std::sqrt(x.cov[i][i] / M);
                INFO("component " << i << ": " << mean[i] << " vs " << x.mean[i]);
                if (se == 0.0) {
                    CHECK(std::abs(mean[i] - x.mean[i]) < 1e-12);
                } else {
                    CHECK(std::abs(mean[i] - x.mean[i]) <= kZ * se);
                }
            }
            double trace = 0.0;
            for (const std::vector<double>& v : all)
                for (std::size_t i = 0; i < n; ++i)
                    trace += (v[i] - mean[i]) * (v[i] - mean[i]);
            trace /= M - 1.0;
            const double var =
                (x.fourth - x.trace * x.trace) / M + 2.0 * x.trace_c2 / (M * (M - 1.0));
            INFO("trace " << trace << " vs " << x.trace);
            CHECK(std::abs(trace - x.trace) <= kZ * std::sqrt(var) + 1e-12);
            // The exact formulas give the same trace where they have one.
            if (kind != BaselineKind::kGroupNorm && !(kind == BaselineKind::kRloo && K < 2)) {
                const rl::core::EpisodeExact closed = rl::core::episode_exact(model, policy, e);
                REQUIRE(closed.exact);
                CHECK(std::abs(closed.trace_cov - x.trace) <= 1e-10 * (1.0 + x.trace));
            }
        }
    }
}

}  // namespace

TEST_CASE("episode sampler: episodes come as often as their probabilities say") {
    const rl::core::TokenSequenceModel model(
        rl_test::small_tokens(rl::core::TokenPolicyForm::kPreviousToken, 3));
    const EpisodePolicy policy =
        rl_test::random_policy(Parameterization::kFree, 2, model.blocks(), 2);
    const rl_test::EpisodeOracle oracle(model, policy);
    // The oracle's leaves by their tokens and rewards.
    std::map<std::vector<double>, double> exact;
    for (const rl_test::Trajectory& tr : oracle.leaves) {
        std::vector<double> id;
        for (const rl_test::Step& s : tr.steps) {
            id.push_back(s.action);
            id.push_back(s.reward);
        }
        exact[id] += tr.prob;
    }
    constexpr std::uint32_t kDraws = 1u << 16;
    std::map<std::vector<double>, double> seen;
    std::vector<rl::core::EpisodeOutcome> scratch;
    rl::core::SampledEpisode ep, again;
    for (std::uint32_t i = 0; i < kDraws; ++i) {
        rl::core::sample_episode(model, policy, key_for(i / 8), i % 8, scratch, ep);
        std::vector<double> id;
        for (const rl::core::EpisodeStep& s : ep.steps) {
            id.push_back(s.action);
            id.push_back(s.reward);
        }
        REQUIRE(exact.count(id) == 1);
        seen[id] += 1.0;
    }
    for (const auto& [id, p] : exact) {
        const double share = seen[id] / kDraws;
        CHECK(std::abs(share - p) <= kZ * std::sqrt(p * (1.0 - p) / kDraws));
    }
    // The same key and sample give the same episode.
    rl::core::sample_episode(model, policy, key_for(3), 5, scratch, ep);
    rl::core::sample_episode(model, policy, key_for(3), 5, scratch, again);
    REQUIRE(ep.steps.size() == again.steps.size());
    for (std::size_t t = 0; t < ep.steps.size(); ++t) {
        CHECK(ep.steps[t].action == again.steps[t].action);
        CHECK(ep.steps[t].reward == again.steps[t].reward);
    }
}

TEST_CASE("episode sampler: batch estimates match the exact distribution, every baseline") {
    for (const int K : {1, 2, 3}) {
        const rl::core::TokenSequenceModel shared(
            rl_test::small_tokens(rl::core::TokenPolicyForm::kShared, 3));
        check_monte_carlo(shared, rl_test::random_policy(Parameterization::kFree, 2, 1, 4), K,
                          1u << 14);
    }
    const rl::core::TokenSequenceModel per_position(
        rl_test::small_tokens(rl::core::TokenPolicyForm::kPerPosition, 2));
    check_monte_carlo(per_position, rl_test::random_policy(Parameterization::kPinnedLast, 2, 2, 9),
                      2, 1u << 14);
}

TEST_CASE("episode sampler: a table with random moves and an early end, by Monte Carlo") {
    const rl::core::EpisodeTableModel model(rl_test::small_table());
    check_monte_carlo(model, rl_test::random_policy(Parameterization::kFree, 2, 3, 11), 2,
                      1u << 14);
}
