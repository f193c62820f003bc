#include "core/update_step.hpp"

#include <cmath>

#include "core/advantages.hpp"

namespace rl::core {

namespace {

// g = the sparse part, minus mean(A) pi, plus the deterministic part on the free components;
// then its norm and the clip.
void finish_gradient(const PolicyPoint& pt, const EstimatorSettings& s, double mean_adv,
                     std::vector<double>& g, UpdateOutcome& out) {
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
}

}  // namespace

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
    finish_gradient(pt, s, mean_adv, g, out);
    return out;
}

UpdateOutcome estimate_gradient_by_action(const PolicyPoint& pt,
                                          std::span<const std::uint32_t> actions,
                                          std::span<const double> rewards,
                                          const EstimatorSettings& s, double fixed_baseline,
                                          UpdateScratch& scratch) {
    const std::size_t k = actions.size(), n = pt.n;
    if (k < 2 || s.baseline == BaselineKind::kRunning)
        return estimate_gradient(pt, actions, rewards, s, fixed_baseline, scratch);
    // Four lanes, sample i in lane i mod 4: a repeated action's additions wait on each other
    // only every fourth sample.
    constexpr std::size_t kLanes = 4;
    scratch.lane_sums.assign(kLanes * n, 0.0);
    scratch.lane_counts.assign(kLanes * n, 0);
    const double first = rewards[0] - pt.reward_shift[actions[0]];
    bool agree = true;
    for (std::size_t i = 0; i < k; ++i) {
        const std::uint32_t a = actions[i];
        const double r = rewards[i] - pt.reward_shift[a];
        agree = agree & (r == first);
        const std::size_t slot = (i % kLanes) * n + a;
        scratch.lane_sums[slot] += r;
        ++scratch.lane_counts[slot];
    }
    scratch.counts.assign(n, 0);
    std::vector<double>& g = scratch.gradient;
    g.assign(n, 0.0);  // S_a for now
    double total = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
        const double* lane = scratch.lane_sums.data() + a;
        const std::uint32_t* count = scratch.lane_counts.data() + a;
        g[a] = (lane[0] + lane[n]) + (lane[2 * n] + lane[3 * n]);
        scratch.counts[a] = count[0] + count[n] + count[2 * n] + count[3 * n];
        total += g[a];
    }
    const double K = static_cast<double>(k);
    const double mean = total / K;
    double squares = 0.0;
    if (s.baseline == BaselineKind::kGroupNorm && !agree) {
        double lanes[kLanes] = {};
        for (std::size_t i = 0; i < k; ++i) {
            const double d = rewards[i] - pt.reward_shift[actions[i]] - mean;
            lanes[i % kLanes] += d * d;
        }
        squares = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    }
    const BatchScale batch =
        batch_scale(s.baseline, static_cast<int>(k), fixed_baseline, mean, agree, squares);
    UpdateOutcome out;
    out.baseline = batch.beta;
    const double scale = batch.lambda / K;
    double mean_adv = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
        g[a] = scratch.counts[a] > 0 ? scale * (g[a] - scratch.counts[a] * batch.beta) : 0.0;
        mean_adv += g[a];
    }
    finish_gradient(pt, s, mean_adv, g, out);
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
