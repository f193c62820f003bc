#include "live/cloud_piles.hpp"

#include <algorithm>
#include <cmath>

#include "core/exact.hpp"

namespace rl::live {

CloudPiles cloud_piles(const engine::CloudResult& cloud) {
    CloudPiles out;
    const std::size_t m = std::min(cloud.x.size(), cloud.y.size());
    if (m == 0) return out;
    // Distinct values by exact equality: a pile is the same floats from the same arithmetic. A
    // spread-out cloud has a 13th distinct value within its first points, so this stops early.
    std::vector<std::size_t> counts;
    for (std::size_t i = 0; i < m; ++i) {
        std::size_t k = 0;
        while (k < out.piles.size() &&
               (out.piles[k].x != cloud.x[i] || out.piles[k].y != cloud.y[i]))
            ++k;
        if (k == out.piles.size()) {
            if (k == kMaxPiles) return {};
            out.piles.push_back({cloud.x[i], cloud.y[i], 0.0});
            counts.push_back(0);
        }
        ++counts[k];
    }
    for (std::size_t k = 0; k < out.piles.size(); ++k)
        out.piles[k].share = static_cast<double>(counts[k]) / static_cast<double>(m);
    std::stable_sort(out.piles.begin(), out.piles.end(),
                     [](const CloudPile& a, const CloudPile& b) { return a.share > b.share; });
    out.valid = true;
    return out;
}

void name_piles(CloudPiles& piles, const core::PolicyPoint& pt, const core::EstimatorSettings& s,
                double running_value, const engine::CloudResult& cloud) {
    using core::BaselineKind;
    const bool fixed_number =
        s.baseline == BaselineKind::kNone || s.baseline == BaselineKind::kConstant ||
        s.baseline == BaselineKind::kExpected || s.baseline == BaselineKind::kOptimal ||
        (s.baseline == BaselineKind::kRunning && s.running_mode == core::RunningMode::kEma);
    // The plot names piles of at most kMaxPiles actions; a vocabulary's would cost n^2 here.
    if (!piles.valid || s.K != 1 || !fixed_number || pt.n > kMaxPiles ||
        cloud.axis_x.size() < pt.n || cloud.axis_y.size() < pt.n)
        return;
    for (const double v : pt.var)
        if (v != 0.0) return;
    const double b = core::fixed_baseline_value(pt, s, running_value);
    std::vector<double> g(pt.n);
    for (std::size_t a = 0; a < pt.n; ++a) {
        if (!(pt.pi[a] > 0.0)) continue;
        for (std::size_t i = 0; i < pt.n; ++i)
            g[i] = (pt.rbar[a] - b) * ((i == a ? 1.0 : 0.0) - pt.pi[i]) + pt.deterministic[i];
        if (s.clip > 0.0) {
            const double norm = std::sqrt(core::dot_dim(pt, g, g));
            if (norm > s.clip)
                for (double& v : g)
                    v *= s.clip / norm;
        }
        const double x = core::dot_dim(pt, g, cloud.axis_x);
        const double y = core::dot_dim(pt, g, cloud.axis_y);
        // The cloud holds floats: a pile is this point to float rounding.
        const double tolerance = 1e-4 * (1.0 + std::abs(x) + std::abs(y));
        for (CloudPile& p : piles.piles) {
            if (std::abs(p.x - x) + std::abs(p.y - y) > tolerance) continue;
            p.action = p.action == -1 ? static_cast<int>(a) : -2;
        }
    }
    for (CloudPile& p : piles.piles)
        if (p.action < 0) p.action = -1;
}

}  // namespace rl::live
