// A training batch summed per action (core::estimate_gradient_by_action) against the sample-by-
// sample arithmetic (core::estimate_gradient): the same estimate up to the order of the sums,
// for every bandit baseline, both parameterisations, a KL folded into the rewards, clipping, and
// a batch whose rewards all agree.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/choices.hpp"
#include "core/estimator.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "core/update_step.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::EstimatorSettings;
using rl::core::Parameterization;
using rl::core::PolicyPoint;

struct Batch {
    std::vector<std::uint32_t> actions;
    std::vector<double> rewards;
};

// K samples from pi; each action's reward is its mean plus, when noisy, Gaussian noise.
Batch draw(const PolicyPoint& pt, int K, bool noisy, std::mt19937& rng) {
    std::discrete_distribution<std::uint32_t> pick(pt.pi.begin(), pt.pi.end());
    std::normal_distribution<double> noise(0.0, 0.8);
    Batch b;
    for (int k = 0; k < K; ++k) {
        const std::uint32_t a = pick(rng);
        b.actions.push_back(a);
        b.rewards.push_back(pt.rbar[a] + (noisy ? noise(rng) : 0.0));
    }
    return b;
}

void check_same(const PolicyPoint& pt, const EstimatorSettings& s, const Batch& b) {
    rl::core::UpdateScratch one, each;
    const double fixed = rl::core::fixed_baseline_value(pt, s, 0.4);
    const rl::core::UpdateOutcome by_sample =
        rl::core::estimate_gradient(pt, b.actions, b.rewards, s, fixed, one);
    const rl::core::UpdateOutcome by_action =
        rl::core::estimate_gradient_by_action(pt, b.actions, b.rewards, s, fixed, each);
    double norm = 0.0;
    for (const double g : one.gradient)
        norm += g * g;
    // Rounding: a sum of K terms in another order differs by a few K eps of its terms' sizes.
    const double tolerance = 1e-12 * (std::sqrt(norm) + 1.0);
    REQUIRE(each.gradient.size() == one.gradient.size());
    for (std::size_t a = 0; a < one.gradient.size(); ++a)
        CHECK(std::abs(each.gradient[a] - one.gradient[a]) <= tolerance);
    CHECK(by_action.mean_advantage == doctest::Approx(by_sample.mean_advantage).epsilon(1e-12));
    CHECK(by_action.baseline == doctest::Approx(by_sample.baseline).epsilon(1e-12));
    CHECK(by_action.clip_scale == doctest::Approx(by_sample.clip_scale).epsilon(1e-12));
    if (s.baseline == BaselineKind::kRunning || b.actions.size() < 2) return;
    std::vector<std::uint32_t> counts(pt.n, 0);
    for (const std::uint32_t a : b.actions)
        ++counts[a];
    CHECK(each.counts == counts);
}

}  // namespace

TEST_CASE("a batch summed per action is the sample-by-sample estimate, up to rounding") {
    std::mt19937 rng(11);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (const std::size_t n : {2u, 3u, 10u, 64u}) {
        for (const Parameterization param :
             {Parameterization::kFree, Parameterization::kPinnedLast}) {
            std::vector<double> logits(n), rbar(n), var(n, 0.64), ref(n, std::log(1.0 / n));
            for (std::size_t a = 0; a < n; ++a) {
                logits[a] = normal(rng);
                rbar[a] = normal(rng);
            }
            if (param == Parameterization::kPinnedLast) logits.back() = 0.0;
            for (const BaselineKind baseline : rl::core::kBanditBaselines) {
                for (const int K : {1, 2, 3, 257, 4096}) {
                    for (const bool noisy : {false, true}) {
                        EstimatorSettings s;
                        s.baseline = baseline;
                        s.K = K;
                        s.constant_b = 0.3;
                        // A KL folded into the rewards shifts each action's; the clip bites.
                        s.kl_beta = noisy ? 0.2 : 0.0;
                        s.kl_mode = rl::core::KlMode::kReward;
                        s.clip = noisy ? 0.05 : 0.0;
                        CAPTURE(n);
                        CAPTURE(rl::core::to_string(baseline));
                        CAPTURE(K);
                        CAPTURE(noisy);
                        const PolicyPoint pt =
                            rl::core::make_policy_point(logits, param, rbar, var, ref, s);
                        check_same(pt, s, draw(pt, K, noisy, rng));
                    }
                }
            }
        }
    }
}

TEST_CASE("a batch whose rewards agree has no batch-relative advantage either way") {
    const std::vector<double> logits{0.2, -0.1, 0.4}, rbar{1.0, 1.0, 1.0}, var(3, 0.0),
        ref(3, std::log(1.0 / 3.0));
    for (const BaselineKind baseline :
         {BaselineKind::kBatchMean, BaselineKind::kRloo, BaselineKind::kGroupNorm}) {
        EstimatorSettings s;
        s.baseline = baseline;
        s.K = 512;
        const PolicyPoint pt =
            rl::core::make_policy_point(logits, Parameterization::kFree, rbar, var, ref, s);
        std::mt19937 rng(3);
        const Batch b = draw(pt, 512, false, rng);
        rl::core::UpdateScratch scratch;
        const rl::core::UpdateOutcome out =
            rl::core::estimate_gradient_by_action(pt, b.actions, b.rewards, s, 0.0, scratch);
        CHECK(out.mean_advantage == 0.0);
        for (const double g : scratch.gradient)
            CHECK(g == 0.0);
    }
}
