#include "engine/cloud_basis.hpp"

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

// Largest-variance unit direction orthogonal to `against` (empty: unconstrained).
std::vector<double> top_direction(const core::PolicyPoint& pt, const core::CovarianceModel& cov,
                                  const std::vector<double>& against) {
    std::vector<double> v(pt.n, 0.0);
    // A fixed, irregular start so the result is reproducible and unlikely to be orthogonal to
    // the answer.
    for (std::size_t i = 0; i < pt.dim; ++i)
        v[i] = 1.0 + 0.618 * static_cast<double>(i % 7) - 0.3 * static_cast<double>(i % 3);
    remove_component(pt, v, against);
    double len = norm_dim(pt, v);
    if (!(len > 0.0)) return std::vector<double>(pt.n, 0.0);
    for (double& x : v)
        x /= len;

    const std::vector<double> gradient = core::policy_gradient(pt);
    double previous = -1.0;
    for (int iter = 0; iter < 300; ++iter) {
        std::vector<double> w = core::covariance_apply(pt, cov, v, gradient);
        remove_component(pt, w, against);
        const double lambda = core::dot_dim(pt, w, v);
        len = norm_dim(pt, w);
        if (!(len > 1e-300)) break;  // no variance left in this subspace: keep the start vector
        for (std::size_t i = 0; i < pt.n; ++i)
            v[i] = w[i] / len;
        // The Rayleigh quotient (the variance along v) only grows; once it settles to 1e-7 the
        // axis carries all but a negligible share of the largest variance, which is what the
        // plot needs, even when near-equal eigenvalues leave the eigenvector itself unsettled.
        if (std::abs(lambda - previous) <= 1e-7 * std::abs(lambda)) break;
        previous = lambda;
    }
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
                       const core::CovarianceModel& covariance) {
    CloudBasis basis;
    const double g = norm_dim(pt, true_gradient);
    if (g > 0.0 && std::isfinite(g)) {
        basis.x.assign(pt.n, 0.0);
        for (std::size_t i = 0; i < pt.dim; ++i)
            basis.x[i] = true_gradient[i] / g;
    } else {
        basis.x = top_direction(pt, covariance, {});
    }
    basis.y = pt.dim >= 2 ? top_direction(pt, covariance, basis.x) : std::vector<double>(pt.n, 0.0);
    return basis;
}

}  // namespace rl::engine
