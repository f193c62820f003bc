// The lessons' worked examples (docs/MATH.md), as the app computes them.
//   yes/no/maybe (assets/presets/yes-no-maybe.json): rewards 8/3/5 under pi = 0.3/0.5/0.2.
//   sigmoid-bandit (assets/presets/sigmoid-bandit.json): the two-action sigmoid bandit (pinned
//   parameterization), rewards 1/0, theta = 0.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/advantages.hpp"
#include "core/choices.hpp"
#include "core/estimator.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"
#include "core/update_step.hpp"

namespace {

// The lesson's numbers are given to four decimal places.
double to_four_places(double x) {
    return std::round(x * 1e4) / 1e4;
}

constexpr double kRel = 1e-12;

// Relative agreement; a zero target must be met to within rounding of order-one quantities.
bool close(double got, double want, double rel = kRel) {
    return std::abs(got - want) <= (want != 0.0 ? rel * std::abs(want) : 1e-15);
}

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

struct YesNoMaybe {
    std::vector<double> probs{0.3, 0.5, 0.2};
    std::vector<double> rewards{8.0, 3.0, 5.0};
    std::vector<double> var{0.0, 0.0, 0.0};
    rl::core::EstimatorSettings settings;

    rl::core::PolicyPoint point(
        rl::core::Parameterization param = rl::core::Parameterization::kFree) const {
        const std::vector<double> logits = rl::core::logits_from_probabilities(probs, param);
        return rl::core::make_policy_point(logits, param, rewards, var, {}, settings);
    }
};

}  // namespace

TEST_CASE("yes/no/maybe: expected reward of yes/no/maybe is 0.3*8 + 0.5*3 + 0.2*5 = 4.9") {
    const YesNoMaybe ynm;
    for (auto param :
         {rl::core::Parameterization::kFree, rl::core::Parameterization::kPinnedLast}) {
        const rl::core::PolicyPoint pt = ynm.point(param);
        INFO("parameterization " << rl::core::to_string(param));
        for (std::size_t a = 0; a < 3; ++a) {
            CAPTURE(a);
            CAPTURE(pt.pi[a]);
            CHECK(close(pt.pi[a], ynm.probs[a]));
        }
        CAPTURE(pt.J);
        CHECK(close(pt.J, 4.9));
        CHECK(close(pt.raw_J, 4.9));
    }
}

TEST_CASE(
    "yes/no/maybe: batch-mean baseline of one sample each is 16/3 with advantages 8/3, -7/3, "
    "-1/3") {
    const std::vector<double> rewards{8.0, 3.0, 5.0};
    std::vector<double> adv(3);
    const double b =
        rl::core::compute_advantages(rl::core::BaselineKind::kBatchMean, 0.0, rewards, adv);
    CAPTURE(b);
    CHECK(close(b, 16.0 / 3.0));
    CHECK(close(adv[0], 8.0 / 3.0));
    CHECK(close(adv[1], -7.0 / 3.0));
    CHECK(close(adv[2], -1.0 / 3.0));
    // As the lesson prints them, rounded: b ~ 5.3, advantages +2.7 / -2.3 / -0.3.
    CHECK(b == doctest::Approx(5.333).epsilon(1e-3));
    CHECK(adv[0] == doctest::Approx(2.667).epsilon(1e-3));
    CHECK(adv[1] == doctest::Approx(-2.333).epsilon(1e-3));
    CHECK(adv[2] == doctest::Approx(-0.333).epsilon(1e-2));
    // Every sample now carries a direction: only the above-average one is pushed up.
    CHECK(adv[0] > 0.0);
    CHECK(adv[1] < 0.0);
    CHECK(adv[2] < 0.0);
}

TEST_CASE(
    "yes/no/maybe: the expected gradient pushes toward yes although no is sampled more often") {
    const YesNoMaybe ynm;
    const rl::core::PolicyPoint pt = ynm.point();
    // The lesson's comparison: yes contributes pi * R = 0.3 * 8 = 2.4, no 0.5 * 3 = 1.5.
    CHECK(close(pt.pi[0] * pt.rbar[0], 2.4));
    CHECK(close(pt.pi[1] * pt.rbar[1], 1.5));

    const std::vector<double> g = rl::core::policy_gradient(pt);
    // grad J = pi * (R - J) = (0.3 * 3.1, 0.5 * -1.9, 0.2 * 0.1).
    CHECK(close(g[0], 0.93));
    CHECK(close(g[1], -0.95));
    CHECK(close(g[2], 0.02));
    CAPTURE(g[0]);
    CAPTURE(g[1]);
    CAPTURE(g[2]);
    CHECK(std::max_element(g.begin(), g.end()) - g.begin() == 0);
    CHECK(g[0] > 0.0);
}

TEST_CASE(
    "yes/no/maybe: one sample of no with no baseline pushes no up; with a baseline it pushes "
    "down") {
    const YesNoMaybe ynm;
    const rl::core::PolicyPoint pt = ynm.point();
    rl::core::UpdateScratch scratch;
    const std::vector<std::uint32_t> actions{1};
    const std::vector<double> rewards{3.0};

    rl::core::EstimatorSettings none = ynm.settings;
    none.K = 1;
    none.baseline = rl::core::BaselineKind::kNone;
    rl::core::estimate_gradient(pt, actions, rewards, none, 0.0, scratch);
    // g = 3 (e_no - pi) = 3 * (-0.3, 0.5, -0.2).
    CHECK(close(scratch.gradient[0], -0.9));
    CHECK(close(scratch.gradient[1], 1.5));
    CHECK(close(scratch.gradient[2], -0.6));

    rl::core::EstimatorSettings mean_b = none;
    mean_b.baseline = rl::core::BaselineKind::kConstant;
    mean_b.constant_b = 16.0 / 3.0;
    rl::core::estimate_gradient(pt, actions, rewards, mean_b,
                                rl::core::fixed_baseline_value(pt, mean_b, 0.0), scratch);
    CAPTURE(scratch.gradient[1]);
    CHECK(close(scratch.gradient[1], (3.0 - 16.0 / 3.0) * 0.5));
    CHECK(scratch.gradient[1] < 0.0);
}

TEST_CASE("yes/no/maybe: the variance-optimal constant baseline is not E[R]") {
    // The lesson says the variance-minimising baseline is E[R] = 4.9; the exact optimum is
    // b* = sum pi R |s|^2 / sum pi |s|^2 = 3.422 / 0.62 (|s|^2 = 0.78, 0.38, 0.98).
    const YesNoMaybe ynm;
    const rl::core::PolicyPoint pt = ynm.point();
    const double b_star = rl::core::optimal_baseline(pt);
    CAPTURE(b_star);
    CHECK(close(b_star, 3.422 / 0.62));
    CHECK(std::abs(b_star - 4.9) > 0.5);
}

namespace {

rl::core::PolicyPoint sigmoid_point(double theta, const rl::core::EstimatorSettings& s) {
    const std::vector<double> logits{theta, 0.0};
    const std::vector<double> rbar{1.0, 0.0}, var{0.0, 0.0};
    return rl::core::make_policy_point(logits, rl::core::Parameterization::kPinnedLast, rbar, var,
                                       {}, s);
}

}  // namespace

TEST_CASE("sigmoid bandit: two REINFORCE steps on the sigmoid bandit, theta 0 -> 0.5 -> 0.8775") {
    rl::core::EstimatorSettings s;
    s.K = 1;
    s.lr = 1.0;
    s.baseline = rl::core::BaselineKind::kNone;
    std::vector<double> logits{0.0, 0.0};
    rl::core::UpdateScratch scratch;
    const std::vector<std::uint32_t> action1{0};  // the lesson's "action 1", reward 1
    const std::vector<double> reward1{1.0};

    // Step 1: gradient 1 - sigma(0) = 0.5.
    rl::core::PolicyPoint pt = sigmoid_point(logits[0], s);
    CHECK(close(pt.pi[0], 0.5));
    rl::core::estimate_gradient(pt, action1, reward1, s, 0.0, scratch);
    CAPTURE(scratch.gradient[0]);
    CHECK(close(scratch.gradient[0], 0.5));
    CHECK(scratch.gradient[1] == 0.0);  // the pinned logit gets no gradient
    REQUIRE(rl::core::apply_gradient(logits, scratch.gradient, 1, s.lr));
    CHECK(close(logits[0], 0.5));
    CHECK(logits[1] == 0.0);
    pt = sigmoid_point(logits[0], s);
    CAPTURE(pt.pi[0]);
    CHECK(close(pt.pi[0], sigmoid(0.5)));
    CHECK(to_four_places(pt.pi[0]) == 0.6225);

    // Step 2: gradient 1 - sigma(0.5) = 0.3775.
    rl::core::estimate_gradient(pt, action1, reward1, s, 0.0, scratch);
    CAPTURE(scratch.gradient[0]);
    CHECK(close(scratch.gradient[0], 1.0 - sigmoid(0.5)));
    CHECK(to_four_places(scratch.gradient[0]) == 0.3775);
    REQUIRE(rl::core::apply_gradient(logits, scratch.gradient, 1, s.lr));
    CAPTURE(logits[0]);
    CHECK(close(logits[0], 0.5 + 1.0 - sigmoid(0.5)));
    CHECK(to_four_places(logits[0]) == 0.8775);
    pt = sigmoid_point(logits[0], s);
    CAPTURE(pt.pi[0]);
    CHECK(close(pt.pi[0], sigmoid(1.5 - sigmoid(0.5))));
    // The lesson's text rounds sigma(0.8775) to 0.706; to four places it is 0.7063, not 0.7064.
    CHECK(to_four_places(pt.pi[0]) == 0.7063);
}

TEST_CASE(
    "sigmoid bandit: one-sample gradients are 0.5 for action 1 and 0 for action 2 at theta 0") {
    rl::core::EstimatorSettings s;
    s.K = 1;
    const rl::core::PolicyPoint pt = sigmoid_point(0.0, s);
    rl::core::UpdateScratch scratch;
    rl::core::estimate_gradient(pt, std::vector<std::uint32_t>{0}, std::vector<double>{1.0}, s, 0.0,
                                scratch);
    CHECK(close(scratch.gradient[0], 0.5));
    rl::core::estimate_gradient(pt, std::vector<std::uint32_t>{1}, std::vector<double>{0.0}, s, 0.0,
                                scratch);
    CHECK(scratch.gradient[0] == 0.0);
}

TEST_CASE("sigmoid bandit: E[g] = sigma(1 - sigma) = 0.25 and Var(g) = 0.0625 at theta 0") {
    rl::core::EstimatorSettings s;
    s.K = 1;
    s.baseline = rl::core::BaselineKind::kNone;
    const rl::core::PolicyPoint pt = sigmoid_point(0.0, s);
    const rl::core::ExactEstimate e = rl::core::exact_estimate(pt, s, 1);
    REQUIRE(e.closed_form);
    REQUIRE(e.mean.size() == 2);
    CAPTURE(e.mean[0]);
    CAPTURE(e.trace_cov);
    CHECK(close(e.mean[0], 0.25));
    CHECK(e.mean[1] == 0.0);
    CHECK(close(e.trace_cov, 0.0625));
    // The lesson's punchline: the standard deviation equals the signal, SNR = 1.
    CHECK(close(e.snr, 1.0));

    // Away from theta = 0 the same formulas give sigma (1 - sigma) and
    // E[g^2] - E[g]^2 = sigma (1 - sigma)^2 - sigma^2 (1 - sigma)^2.
    const double theta = 0.8775;
    const double sg = sigmoid(theta);
    const rl::core::ExactEstimate e2 = rl::core::exact_estimate(sigmoid_point(theta, s), s, 1);
    CHECK(close(e2.mean[0], sg * (1.0 - sg)));
    CHECK(close(e2.trace_cov, sg * (1.0 - sg) * (1.0 - sg) - sg * sg * (1.0 - sg) * (1.0 - sg)));
}
