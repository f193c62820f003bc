#include "engine/batch_draw.hpp"

#include <algorithm>

namespace rl {

namespace {

// Blocks generated together: wide enough to fill AVX-512 lanes twice, small enough for the
// structure-of-arrays state to stay in registers and L1.
constexpr int kLanes = 16;

}  // namespace

// The Philox rounds are 32 x 32 -> 64-bit multiplies, which SSE2 does two at a time, AVX2 four
// and AVX-512 eight; one binary carries all three and picks at load time, so it still runs on
// any x86-64. Only integers are computed here, so the clones cannot differ in their results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("default", "avx2", "avx512f")))
#endif
void draw_batch_actions(const AliasEntry* table, std::uint32_t n, const StreamKey& key, int K,
                        std::uint32_t* actions) {
    const std::uint32_t c1 = key.batch, c2 = key.step;
    const std::uint32_t c3 =
        (static_cast<std::uint32_t>(key.purpose) << 24) | (key.run & 0xFFFFFFu);
    const auto k0 = static_cast<std::uint32_t>(key.seed);
    const auto k1 = static_cast<std::uint32_t>(key.seed >> 32);
    const int pairs = (K + 1) / 2;
    for (int first = 0; first < pairs; first += kLanes) {
        std::uint32_t v0[kLanes], v1[kLanes], v2[kLanes], v3[kLanes];
        // Filled as vectors too: sixteen scalar stores read back as one vector stall on store
        // forwarding.
#pragma GCC unroll 1
        for (int l = 0; l < kLanes; ++l) {
            v0[l] = static_cast<std::uint32_t>(first + l);
            v1[l] = c1;
            v2[l] = c2;
            v3[l] = c3;
        }
        // philox4x32_10 with the rounds outermost, so each round is one loop over the lanes.
        std::uint32_t key0 = k0, key1 = k1;
        for (int r = 0; r < 10; ++r) {
            if (r > 0) {
                key0 += philox_detail::kWeyl0;
                key1 += philox_detail::kWeyl1;
            }
            // Kept a loop so the vectoriser sees lanes rather than sixteen unrolled scalars.
#pragma GCC unroll 1
            for (int l = 0; l < kLanes; ++l) {
                const std::uint64_t p0 = static_cast<std::uint64_t>(philox_detail::kMul0) * v0[l];
                const std::uint64_t p1 = static_cast<std::uint64_t>(philox_detail::kMul1) * v2[l];
                const auto hi0 = static_cast<std::uint32_t>(p0 >> 32);
                const auto hi1 = static_cast<std::uint32_t>(p1 >> 32);
                const std::uint32_t n0 = hi1 ^ v1[l] ^ key0;
                const std::uint32_t n2 = hi0 ^ v3[l] ^ key1;
                v1[l] = static_cast<std::uint32_t>(p1);
                v3[l] = static_cast<std::uint32_t>(p0);
                v0[l] = n0;
                v2[l] = n2;
            }
        }
        const int lanes = std::min(kLanes, pairs - first);
        for (int l = 0; l < lanes; ++l) {
            const int k = 2 * (first + l);
            actions[k] = alias_sample(table, n, v0[l], v1[l]);
            if (k + 1 < K) actions[k + 1] = alias_sample(table, n, v2[l], v3[l]);
        }
    }
}

}  // namespace rl
