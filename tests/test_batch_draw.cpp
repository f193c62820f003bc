// The CPU engine draws a batch's actions with a vectorised Philox and alias lookup; it must give
// exactly the actions that draw_pair and alias_sample give one pair at a time (the definition the
// CUDA engine shares), whatever instruction set the machine picks and for any K, ragged or not.

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/alias_table.hpp"
#include "core/random_streams.hpp"
#include "engine/batch_draw.hpp"

namespace {

std::vector<std::uint32_t> reference_actions(const rl::core::AliasTable& table,
                                             const rl::core::StreamKey& key, int K) {
    std::vector<std::uint32_t> actions(K);
    for (int k = 0; k < K; k += 2) {
        const rl::core::PhiloxCounter bits =
            rl::core::draw_pair(key, static_cast<std::uint32_t>(k / 2));
        actions[k] = rl::core::alias_sample(table.data(), table.size(), bits.v[0], bits.v[1]);
        if (k + 1 < K)
            actions[k + 1] =
                rl::core::alias_sample(table.data(), table.size(), bits.v[2], bits.v[3]);
    }
    return actions;
}

}  // namespace

TEST_CASE("draw_batch_actions gives draw_pair's and alias_sample's actions for every K") {
    for (std::uint32_t n : {2u, 3u, 1000u, 70001u}) {
        std::vector<double> probs(n);
        for (std::uint32_t a = 0; a < n; ++a)
            probs[a] = 1.0 / (1.0 + a) + (a % 7 == 0 ? 0.5 : 0.0);
        const rl::core::AliasTable table(probs);
        for (int K : {1, 2, 7, 31, 32, 33, 63, 64, 65, 100, 128, 1000}) {
            for (std::uint32_t batch : {0u, 1u, 4097u}) {
                const rl::core::StreamKey key{0x0123456789ABCDEFull,
                                              rl::core::Purpose::kCloudAction, 5, 77, batch};
                std::vector<std::uint32_t> actions(K);
                rl::engine::draw_batch_actions(table.data(), table.size(), key, K, actions.data());
                CAPTURE(n);
                CAPTURE(K);
                CAPTURE(batch);
                CHECK(actions == reference_actions(table, key, K));
            }
        }
    }
}
