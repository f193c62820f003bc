#include "core/update_step.hpp"

#include <cmath>

#include "core/advantages.hpp"

namespace rl::core {

UpdateOutcome estimate_gradient(const PolicyPoint& pt, std::span<const std::uint32_t> actions,
                                std::span<const double> rewards, const EstimatorSettings& s,
                                double fixed_baseline, UpdateScratch& scratch) {
    const std::size_t k = actions.size();
    scratch.rewards_used.resize(k);
    scratch.advantages.resize(k);
    for (std::size_t i = 0; i < k; ++i)
        scratch.rewards_used[i] = rewards[i] - pt.reward_shift[actions[i]];

    UpdateOutcome out;
    out.baseline = compute_advantages(s.baseline, fixed_baseline, scratch.rewards_used,
                                      scratch.advantages, &scratch.terms);

    // sum_k A_k (e_{y_k} - pi) / K, built as a sparse part plus a multiple of pi.
    std::vector<double>& g = scratch.gradient;
    g.assign(pt.n, 0.0);
    const double inv_k = 1.0 / static_cast<double>(k);
    double mean_adv = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        g[actions[i]] += scratch.advantages[i] * inv_k;
        mean_adv += scratch.advantages[i] * inv_k;
    }
    double norm2 = 0.0;
    for (std::size_t a = 0; a < pt.n; ++a) {
        if (a < pt.dim) {
            g[a] += -mean_adv * pt.pi[a] + pt.deterministic[a];
            norm2 += g[a] * g[a];
        } else {
            g[a] = 0.0;
        }
    }
    out.mean_advantage = mean_adv;
    out.raw_norm = std::sqrt(norm2);
    out.clip_scale = clip_to_norm(g, out.raw_norm, s.clip);
    return out;
}

double clip_to_norm(std::span<double> g, double norm, double clip) {
    if (!(clip > 0.0 && norm > clip)) return 1.0;
    const double scale = clip / norm;
    for (double& x : g)
        x *= scale;
    return scale;
}

bool apply_gradient(std::span<double> logits, std::span<const double> gradient, std::size_t dim,
                    double lr) {
    for (std::size_t i = 0; i < dim; ++i)
        if (!std::isfinite(logits[i] + lr * gradient[i])) return false;
    for (std::size_t i = 0; i < dim; ++i)
        logits[i] += lr * gradient[i];
    return true;
}

}  // namespace rl::core
