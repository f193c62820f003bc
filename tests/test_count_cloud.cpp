// The cloud drawn as counts (engine/count_cloud, docs/MATH.md section 14) against the same exact
// distributions the per-sample path is checked against, and against the per-sample path itself:
// the moments by z-tests at 5 standard errors from the exact fourth moments, the projected clouds
// by a two-sample Kolmogorov-Smirnov test at level 1e-6. Seeds are fixed, so each check always
// passes or always fails.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "core/multinomial_table.hpp"
#include "core/policy_point.hpp"
#include "engine/cloud_parts.hpp"
#include "engine/count_cloud.hpp"
#include "support/cloud_checks.hpp"

namespace {

using rl::core::BaselineKind;
using rl::engine::CloudDraw;
using namespace rl_test;

double multinomial_pmf(const std::vector<int>& c, const std::vector<double>& p) {
    int n = 0;
    double v = 1.0;
    for (std::size_t g = 0; g < c.size(); ++g) {
        for (int k = 1; k <= c[g]; ++k)
            v *= p[g] / k;
        n += c[g];
    }
    for (int k = 2; k <= n; ++k)
        v *= k;
    return v;
}

// Two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs.
double ks_statistic(std::vector<float> a, std::vector<float> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::size_t i = 0, j = 0;
    double d = 0.0;
    while (i < a.size() && j < b.size()) {
        const float x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] == x)
            ++i;
        while (j < b.size() && b[j] == x)
            ++j;
        d = std::max(
            d, std::abs(static_cast<double>(i) / a.size() - static_cast<double>(j) / b.size()));
    }
    return d;
}

// The asymptotic critical value at level alpha, c(alpha) sqrt((n + m) / (n m)) with
// c = sqrt(-ln(alpha / 2) / 2); conservative for the atoms a cloud of fixed rewards has.
double ks_critical(std::size_t n, std::size_t m, double alpha) {
    const double c = std::sqrt(-std::log(alpha / 2.0) / 2.0);
    return c * std::sqrt(static_cast<double>(n + m) / (static_cast<double>(n) * m));
}

// The two paths round differently where an estimate is 0 in exact arithmetic (one leaves 1e-17,
// the other 0), which a test of distributions must not count as a difference: values below the
// engine's rounding zero are taken as 0.
std::vector<float> snapped(const std::vector<float>& v, double rms) {
    std::vector<float> out(v);
    for (float& x : out)
        if (std::abs(x) <= rl::engine::kRoundingZero * rms) x = 0.0f;
    return out;
}

void check_same_distribution(const rl::core::Settings& s, int K, int M, std::uint32_t step) {
    const rl::engine::CloudResult a = run_cloud(s, K, M, step, CloudDraw::kSamples);
    const rl::engine::CloudResult b = run_cloud(s, K, M, step, CloudDraw::kCounts);
    const double crit = ks_critical(a.x.size(), b.x.size(), 1e-6);
    const auto rms = [](const rl::engine::CloudResult& c) {
        double sum = 0.0;
        for (double n2 : c.norm2)
            sum += n2;
        return std::sqrt(sum / static_cast<double>(c.norm2.size()));
    };
    const auto lengths = [](const rl::engine::CloudResult& c) {
        std::vector<float> out;
        for (double n2 : c.norm2)
            out.push_back(static_cast<float>(std::sqrt(n2)));
        return out;
    };
    const double ra = rms(a), rb = rms(b);
    const double dx = ks_statistic(snapped(a.x, ra), snapped(b.x, rb));
    const double dy = ks_statistic(snapped(a.y, ra), snapped(b.y, rb));
    const double dn = ks_statistic(snapped(lengths(a), ra), snapped(lengths(b), rb));
    CAPTURE(crit);
    CHECK(dx <= crit);
    CHECK(dy <= crit);
    CHECK(dn <= crit);
}

// The oracle's exact distribution against the counts path; group normalisation has no closed
// form for the exact block, but the oracle enumerates it all the same.
void run_counts_case(const std::string& name, rl::core::Settings s, int K, int M,
                     std::uint32_t step) {
    s.estimator.K = K;
    INFO(name << ", baseline " << rl::core::to_string(s.estimator.baseline) << ", K = " << K
              << ", M = " << M);
    const Reference ref = from_oracle(enumerate_estimator(oracle_problem(s), K));
    const rl::engine::CloudResult c = run_cloud(s, K, M, step, CloudDraw::kCounts);
    if (c.exact.closed_form) check_exact_block(c, ref);
    check_measured(c, ref, M);
}

}  // namespace

TEST_CASE("count tables: every way of dealing the draws, with its multinomial probability") {
    CHECK(rl::core::MultinomialTable::outcome_count(64, 3) == 2145);
    CHECK(rl::core::MultinomialTable::outcome_count(4, 1) == 1);
    CHECK(rl::core::MultinomialTable::outcome_count(7, 2) == 8);
    CHECK(rl::core::MultinomialTable::outcome_count(200, 4) ==
          rl::core::MultinomialTable::kMaxOutcomes + 1);
    const int chunk = rl::core::MultinomialTable::largest_chunk(3, 4096);
    CHECK(rl::core::MultinomialTable::outcome_count(chunk, 3) <=
          rl::core::MultinomialTable::kMaxOutcomes);
    CHECK(rl::core::MultinomialTable::outcome_count(chunk + 1, 3) >
          rl::core::MultinomialTable::kMaxOutcomes);

    const std::vector<double> p = {0.5, 0.3, 0.0, 0.2};
    const rl::core::MultinomialTable t(p, 5);
    REQUIRE(t.outcomes() == 56);  // C(8, 3)
    const std::vector<double> implied = t.alias().implied_probabilities();
    double total = 0.0;
    std::vector<std::vector<int>> seen;
    for (std::uint32_t o = 0; o < t.outcomes(); ++o) {
        std::vector<int> c(t.counts(o), t.counts(o) + 4);
        CHECK(std::accumulate(c.begin(), c.end(), 0) == 5);
        CHECK(std::find(seen.begin(), seen.end(), c) == seen.end());
        seen.push_back(c);
        CHECK(t.probability(o) == doctest::Approx(multinomial_pmf(c, p)).epsilon(1e-12));
        CHECK(std::abs(implied[o] - t.probability(o)) <= 1e-9);
        if (c[2] > 0) CHECK(t.probability(o) == 0.0);
        total += t.probability(o);
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));

    const rl::core::BinomialTables bin(0.3, 8);
    REQUIRE(bin.max_draws() == 8);
    for (int n = 0; n <= 8; ++n) {
        REQUIRE(bin.table(n).outcomes() == static_cast<std::uint32_t>(n + 1));
        double mean = 0.0;
        for (std::uint32_t o = 0; o <= static_cast<std::uint32_t>(n); ++o)
            mean += bin.table(n).probability(o) * bin.table(n).counts(o)[1];
        CHECK(mean == doctest::Approx(0.3 * n).epsilon(1e-12));
    }
    CHECK_THROWS_AS(rl::core::MultinomialTable(p, 100), std::invalid_argument);
}

TEST_CASE("count plan: counts where they are cheaper, samples where they are not") {
    rl::core::EstimatorSettings est;
    const auto plan_for = [&](std::size_t n, double top, int K, CloudDraw draw) {
        rl::core::PolicyPoint pt;
        pt.n = pt.dim = n;
        pt.pi.assign(n, (1.0 - top) / static_cast<double>(n - 1));
        pt.pi[n / 2] = top;
        rl::core::RunProblem problem;
        problem.samplers.assign(n,
                                rl::core::RewardSampler{rl::core::RewardKind::kFixed, 0.0, 0.0, 0});
        return rl::engine::plan_cloud_draw(pt, problem, est, K, 16384, draw);
    };
    const rl::engine::CountPlan small = plan_for(3, 0.5, 64, CloudDraw::kAuto);
    CHECK(small.use_counts);
    CHECK(small.top.size() == 3);
    CHECK(small.top.front() == 1);  // the likeliest first
    CHECK(small.tail_mass == 0.0);
    CHECK(small.cost_counts < small.cost_samples);
    // 1,000 nearly equal actions: every sample lands somewhere new, so counting saves nothing.
    CHECK_FALSE(plan_for(1000, 0.002, 64, CloudDraw::kAuto).use_counts);
    // One action with 99% of the mass: count it, draw the other 1% one by one.
    const rl::engine::CountPlan peaked = plan_for(1000, 0.99, 4096, CloudDraw::kAuto);
    CHECK(peaked.use_counts);
    CHECK(peaked.top.size() < 1000);
    CHECK(peaked.tail_mass > 0.0);
    CHECK_FALSE(plan_for(3, 0.5, 64, CloudDraw::kSamples).use_counts);
    CHECK(plan_for(1000, 0.002, 64, CloudDraw::kCounts).use_counts);
}

TEST_CASE("counts cloud matches the oracle: yes/no/maybe, fixed rewards, every baseline") {
    const rl::core::Settings s = yes_no_maybe();
    for (BaselineKind kind : kConstantKinds)
        for (int K : {1, 4})
            run_counts_case("yes/no/maybe counts", with_baseline(s, kind), K, kM, 0);
    for (BaselineKind kind :
         {BaselineKind::kBatchMean, BaselineKind::kRloo, BaselineKind::kGroupNorm})
        for (int K : {2, 5})
            run_counts_case("yes/no/maybe counts", with_baseline(s, kind), K, kM, 0);
}

TEST_CASE("counts cloud matches the oracle: N = 4 Bernoulli rewards, pinned, every baseline") {
    const rl::core::Settings s =
        make_settings({bernoulli_reward(0.3, 0, 1), fixed_reward(2), bernoulli_reward(0.7, -1, 3),
                       bernoulli_reward(0.5, 1, 5)},
                      {1.3, -0.4, 0.25, 0.0}, rl::core::Parameterization::kPinnedLast);
    for (BaselineKind kind : kConstantKinds)
        run_counts_case("N=4 Bernoulli counts", with_baseline(s, kind, 1.0), 3, kM, 7);
    for (BaselineKind kind :
         {BaselineKind::kBatchMean, BaselineKind::kRloo, BaselineKind::kGroupNorm})
        run_counts_case("N=4 Bernoulli counts", with_baseline(s, kind), 3, kM, 7);
}

TEST_CASE("counts cloud matches the oracle: KL folded into the reward, entropy bonus, a tail") {
    rl::core::Settings s = make_settings(
        {bernoulli_reward(0.25, -2, 4), fixed_reward(1.5), bernoulli_reward(0.9, 0, 2)},
        {0.2, -0.7, 0.9});
    s.reference_logits = {0.0, 0.0, 0.0};
    s.estimator.kl_beta = 0.5;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    s.estimator.entropy = 0.3;
    for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kExpected, BaselineKind::kRloo})
        run_counts_case("KL reward fold counts", with_baseline(s, kind), 4, kM, 0);
    // Six actions, two of them likely: the plan counts those and draws the rest one by one, so
    // the tail's samples and the counted sums meet in one batch.
    rl::core::Settings wide =
        make_settings({fixed_reward(1), bernoulli_reward(0.4, 0, 2), fixed_reward(0),
                       fixed_reward(3), bernoulli_reward(0.5, -1, 1), fixed_reward(0.5)},
                      {3.0, 2.5, 0.0, -0.5, -1.0, 0.2});
    wide.estimator.K = 4;
    REQUIRE(rl::core::validate(wide).empty());
    const rl::core::Experiment e = rl::core::make_experiment(wide);
    const rl::core::RunProblem problem = rl::core::make_run_problem(e, 0);
    const rl::core::PolicyPoint pt = rl::core::make_policy_point(
        e.init_logits, e.parameterization, problem.rbar, problem.var, e.ref_log_probs, e.estimator);
    const rl::engine::CountPlan plan =
        rl::engine::plan_cloud_draw(pt, problem, e.estimator, 4, kM, CloudDraw::kCounts);
    CHECK(plan.tail_mass > 0.0);
    CHECK(plan.top.size() < 6);
    for (BaselineKind kind : {BaselineKind::kNone, BaselineKind::kRloo, BaselineKind::kGroupNorm})
        run_counts_case("six actions counts", with_baseline(wide, kind), 4, kM, 2);
}

TEST_CASE("counts cloud matches closed-form moments: Gaussian rewards, constant baselines") {
    check_gaussian_constant_baselines(CloudDraw::kCounts);
}

TEST_CASE("counts and samples draw the same cloud: Gaussian group norm, RLOO, a large K") {
    const rl::core::Settings s =
        make_settings({gaussian_reward(1.0, 2.0), gaussian_reward(0.0, 0.5),
                       gaussian_reward(3.0, 1.0), fixed_reward(1.0)},
                      {0.3, -0.2, 0.1, 0.5});
    for (BaselineKind kind :
         {BaselineKind::kGroupNorm, BaselineKind::kRloo, BaselineKind::kBatchMean}) {
        for (int K : {2, 7, 64}) {
            INFO("baseline " << rl::core::to_string(kind) << ", K = " << K);
            check_same_distribution(with_baseline(s, kind), K, 1 << 16, 5);
        }
    }
    // Bernoulli arms under group norm at K = 300: several binomial chunks per arm.
    const rl::core::Settings b =
        make_settings({bernoulli_reward(0.3, 0, 1), bernoulli_reward(0.6, 0, 1), fixed_reward(0.5)},
                      {0.0, 0.4, -0.3});
    INFO("Bernoulli, group norm, K = 300");
    check_same_distribution(with_baseline(b, BaselineKind::kGroupNorm), 300, 1 << 15, 6);
}
