#pragma once

#include <span>
#include <vector>

#include "core/exact.hpp"
#include "core/policy_point.hpp"

namespace rl::engine {

struct CloudBasis {
    std::vector<double> x;  // unit true gradient (or the top variance direction when it is 0)
    std::vector<double> y;  // unit direction orthogonal to x of largest exact variance; 0 if none
};

// Power iteration on the covariance model restricted to the complement of x. O(N) per
// iteration, so it works for a 256k vocabulary as well as for three actions.
// y_hint (empty, or length N): tried first as the start of y's iteration.
CloudBasis cloud_basis(const core::PolicyPoint& pt, const std::vector<double>& true_gradient,
                       const core::CovarianceModel& covariance,
                       std::span<const double> y_hint = {});

}  // namespace rl::engine
