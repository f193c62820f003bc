// The cloud's two axes: the true gradient's direction and, orthogonal to it, the noisiest one.
// Uniform probabilities with rewards 6, 7, 8 and b = 7 (restaurants, lesson step 3) once put the
// power iteration's start vector, with the gradient removed, exactly on the all-ones direction,
// which has no variance; the iteration then normalised rounding and returned minus the x axis, and
// every estimate and ellipse was drawn on a line.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/exact.hpp"
#include "core/policy_point.hpp"
#include "engine/cloud_basis.hpp"

TEST_CASE("cloud basis: the second axis is orthogonal and carries the variance it should") {
    rl::core::EstimatorSettings s;
    s.baseline = rl::core::BaselineKind::kConstant;
    s.constant_b = 7.0;
    s.K = 1;
    const std::vector<double> logits{0.0, 0.0, 0.0}, rbar{6.0, 7.0, 8.0}, var{0.0, 0.0, 0.0};
    const rl::core::PolicyPoint pt =
        rl::core::make_policy_point(logits, rl::core::Parameterization::kFree, rbar, var, {}, s);
    const rl::core::CovarianceModel cov = rl::core::basis_covariance(pt, s, 1);
    const rl::engine::CloudBasis b =
        rl::engine::cloud_basis(pt, rl::core::objective_gradient(pt), cov);
    CHECK(rl::core::dot_dim(pt, b.x, b.x) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(rl::core::dot_dim(pt, b.y, b.y) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(std::abs(rl::core::dot_dim(pt, b.x, b.y)) < 1e-12);
    // The advantages are -1, 0, +1 at probability 1/3 each: in the plane of the scores the
    // covariance is (1/9) I, so the variance along any unit direction of it is 1/9, and along
    // the all-ones direction 0.
    CHECK(rl::core::covariance_along(pt, cov, b.y) == doctest::Approx(1.0 / 9.0).epsilon(1e-9));
    double ones = 0.0;
    for (double v : b.y)
        ones += v;
    CHECK(std::abs(ones) < 1e-12);
}
