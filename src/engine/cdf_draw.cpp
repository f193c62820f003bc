#include "engine/cdf_draw.hpp"

#include <algorithm>

namespace rl::engine {

namespace {

// An alias table is built in about six passes over the actions; the inversion walks them once and
// sorts the batch. Below this many actions the table's O(1) draws win whatever K.
constexpr std::size_t kMinActions = 1024;
constexpr std::size_t kActionsPerSample = 16;

}  // namespace

bool cheaper_by_cdf(int K, std::size_t n) {
    return n >= kMinActions && static_cast<std::size_t>(K) * kActionsPerSample <= n;
}

void draw_batch_by_cdf(std::span<const double> pi, const core::StreamKey& key, int K,
                       std::uint32_t* actions,
                       std::vector<std::pair<double, std::uint32_t>>& scratch) {
    scratch.resize(static_cast<std::size_t>(K));
    for (int k = 0; k < K; k += 2) {
        const core::PhiloxCounter block = core::draw_pair(key, static_cast<std::uint32_t>(k / 2));
        scratch[k] = {core::uniform53(block.v[0], block.v[1]), static_cast<std::uint32_t>(k)};
        if (k + 1 < K)
            scratch[k + 1] = {core::uniform53(block.v[2], block.v[3]),
                              static_cast<std::uint32_t>(k + 1)};
    }
    std::sort(scratch.begin(), scratch.end());
    // The last action that can be drawn takes whatever rounding leaves above the final sum.
    std::size_t last = pi.size() - 1;
    while (last > 0 && !(pi[last] > 0.0))
        --last;
    double below = 0.0;  // P(action < a)
    std::size_t a = 0, next = 0;
    for (; a < last && next < scratch.size(); ++a) {
        const double upto = below + pi[a];
        while (next < scratch.size() && scratch[next].first < upto)
            actions[scratch[next++].second] = static_cast<std::uint32_t>(a);
        below = upto;
    }
    for (; next < scratch.size(); ++next)
        actions[scratch[next].second] = static_cast<std::uint32_t>(last);
}

}  // namespace rl::engine
