#include "engine/cloud_basis.hpp"

#include <algorithm>
#include <cmath>

namespace rl::engine {

namespace {

double norm_dim(const core::PolicyPoint& pt, const std::vector<double>& v) {
    return std::sqrt(core::dot_dim(pt, v, v));
}

void remove_component(const core::PolicyPoint& pt, std::vector<double>& v,
                      const std::vector<double>& u) {
    if (u.empty()) return;
    const double c = core::dot_dim(pt, v, u);
    for (std::size_t i = 0; i < pt.dim; ++i)
        v[i] -= c * u[i];
}

// Fixed, irregular start vectors, so the result is reproducible. One can still fall, once the
// `against` direction is removed, into the directions with no variance at all (the all-ones
// direction of free logits has none): uniform probabilities with rewards 6, 7, 8 take the first
// start there exactly. Then the next is tried.
constexpr int kStarts = 3;

double start_component(int start, std::size_t i) {
    const auto k = static_cast<double>(i);
    switch (start) {
        case 0:
            return 1.0 + 0.618 * static_cast<double>(i % 7) - 0.3 * static_cast<double>(i % 3);
        case 1:
            return std::cos(1.7 * k + 0.3);
        default:
            return std::sin(2.9 * k + 1.1) + 0.5 * std::cos(0.7 * k);
    }
}

// Largest-variance unit direction orthogonal to `against` (empty: unconstrained).
std::vector<double> top_direction(const core::PolicyPoint& pt, const core::CovarianceModel& cov,
                                  const std::vector<double>& against,
                                  std::span<const double> hint = {}) {
    const std::vector<double> gradient = core::policy_gradient(pt);
    // Below this share of the total variance a direction carries none: what is left is rounding.
    const double floor = 1e-12 * std::max(core::covariance_trace(pt, cov), 0.0);
    std::vector<double> v(pt.n, 0.0);
    // The hint, when there is one, is start -1.
    const bool hinted = hint.size() == pt.n;
    for (int start = hinted ? -1 : 0; start < kStarts; ++start) {
        std::fill(v.begin(), v.end(), 0.0);
        for (std::size_t i = 0; i < pt.dim; ++i)
            v[i] = start < 0 ? hint[i] : start_component(start, i);
        remove_component(pt, v, against);
        double len = norm_dim(pt, v);
        if (!(len > 0.0) || !std::isfinite(len)) continue;
        for (double& x : v)
            x /= len;
        bool carries_variance = false;
        double previous = -1.0;
        for (int iter = 0; iter < 300; ++iter) {
            std::vector<double> w = core::covariance_apply(pt, cov, v, gradient);
            remove_component(pt, w, against);
            const double lambda = core::dot_dim(pt, w, v);
            len = norm_dim(pt, w);
            // No variance left along v: keep v as it is (a later start may find some).
            if (!(len > floor) || !(len > 1e-300)) break;
            carries_variance = true;
            for (std::size_t i = 0; i < pt.n; ++i)
                v[i] = w[i] / len;
            // The Rayleigh quotient (the variance along v) only grows; once it settles to 1e-7
            // the axis carries all but a negligible share of the largest variance, which is what
            // the plot needs, even when near-equal eigenvalues leave the eigenvector itself
            // unsettled.
            if (std::abs(lambda - previous) <= 1e-7 * std::abs(lambda)) break;
            previous = lambda;
        }
        if (carries_variance) break;
    }
    // Rounding in the iteration leaves a trace of `against`; the axes must be orthogonal.
    remove_component(pt, v, against);
    const double len = norm_dim(pt, v);
    if (!(len > 0.0)) return std::vector<double>(pt.n, 0.0);
    for (double& x : v)
        x /= len;
    // Fix the sign so the axis does not flip between frames: largest component positive.
    std::size_t big = 0;
    for (std::size_t i = 0; i < pt.dim; ++i)
        if (std::abs(v[i]) > std::abs(v[big])) big = i;
    if (v[big] < 0.0)
        for (double& x : v)
            x = -x;
    return v;
}

}  // namespace

CloudBasis cloud_basis(const core::PolicyPoint& pt, const std::vector<double>& true_gradient,
                       const core::CovarianceModel& covariance, std::span<const double> y_hint) {
    CloudBasis basis;
    const double g = norm_dim(pt, true_gradient);
    if (g > 0.0 && std::isfinite(g)) {
        basis.x.assign(pt.n, 0.0);
        for (std::size_t i = 0; i < pt.dim; ++i)
            basis.x[i] = true_gradient[i] / g;
    } else {
        basis.x = top_direction(pt, covariance, {});
    }
    basis.y = pt.dim >= 2 ? top_direction(pt, covariance, basis.x, y_hint)
                          : std::vector<double>(pt.n, 0.0);
    return basis;
}

}  // namespace rl::engine
