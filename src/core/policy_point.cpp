#include "core/policy_point.hpp"

#include <cmath>

namespace rl::core {

PolicyPoint make_policy_point(std::span<const double> logits, Parameterization param,
                              std::span<const double> rbar, std::span<const double> var,
                              std::span<const double> ref_log_probs,
                              const EstimatorSettings& settings) {
    PolicyPoint pt;
    pt.param = param;
    pt.n = logits.size();
    pt.dim = gradient_dim(param, pt.n);
    pt.pi.resize(pt.n);
    pt.log_pi.resize(pt.n);
    softmax(logits, pt.pi, pt.log_pi);
    pt.rbar.assign(rbar.begin(), rbar.end());
    pt.var.assign(var.begin(), var.end());
    pt.deterministic.assign(pt.n, 0.0);
    pt.reward_shift.assign(pt.n, 0.0);

    for (std::size_t a = 0; a < pt.n; ++a) {
        pt.raw_J += pt.pi[a] * rbar[a];
        // 0 log 0 = 0: an action with no mass contributes nothing to H or KL.
        if (pt.pi[a] > 0.0) pt.entropy -= pt.pi[a] * pt.log_pi[a];
    }

    // Only with a reference: at N = 50,000 the vector is a pass over memory per policy.
    std::vector<double> log_ratio;
    const bool has_ref = !ref_log_probs.empty() && settings.kl_beta > 0.0;
    if (has_ref) {
        log_ratio.assign(pt.n, 0.0);
        for (std::size_t a = 0; a < pt.n; ++a) {
            log_ratio[a] = pt.log_pi[a] - ref_log_probs[a];
            if (pt.pi[a] > 0.0) pt.kl += pt.pi[a] * log_ratio[a];
        }
    }
    const double beta = has_ref ? settings.kl_beta : 0.0;

    if (beta > 0.0 && settings.kl_mode == KlMode::kReward) {
        for (std::size_t a = 0; a < pt.n; ++a) {
            pt.reward_shift[a] = beta * log_ratio[a];
            pt.rbar[a] -= pt.reward_shift[a];
        }
        for (std::size_t a = 0; a < pt.n; ++a)
            pt.J += pt.pi[a] * pt.rbar[a];
    } else {
        pt.J = pt.raw_J;  // the same sum, term for term
    }

    // d KL / d theta = pi * (log_ratio - KL); d H / d theta = -pi * (log pi + H).
    for (std::size_t a = 0; a < pt.dim; ++a) {
        double d = 0.0;
        if (beta > 0.0 && settings.kl_mode == KlMode::kPenalty)
            d -= beta * pt.pi[a] * (log_ratio[a] - pt.kl);
        if (settings.entropy != 0.0) d -= settings.entropy * pt.pi[a] * (pt.log_pi[a] + pt.entropy);
        pt.deterministic[a] = d;
    }
    pt.objective = pt.raw_J - beta * pt.kl + settings.entropy * pt.entropy;
    return pt;
}

double dot_dim(const PolicyPoint& pt, std::span<const double> a, std::span<const double> b) {
    double s = 0.0;
    for (std::size_t i = 0; i < pt.dim; ++i)
        s += a[i] * b[i];
    return s;
}

}  // namespace rl::core
