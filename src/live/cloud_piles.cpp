#include "live/cloud_piles.hpp"

#include <algorithm>

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

}  // namespace rl::live
