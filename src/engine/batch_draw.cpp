#include "engine/batch_draw.hpp"

#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define RL_AVX512_DRAW 1
#endif

namespace rl::engine {

namespace {

// Blocks generated together: wide enough to fill AVX-512 lanes twice, small enough for the
// structure-of-arrays state to stay in registers and L1.
constexpr int kLanes = 16;

#ifdef RL_AVX512_DRAW
// GCC vectorises the loops below, but emulates each 32 x 32 -> 64-bit product with a full 64-bit
// multiply (three vpmuludq); written by hand it is one per eight lanes, and the alias lookups
// become gathers. Same integer arithmetic as draw_pair and alias_sample, so the same actions.
struct Wide {
    __m512i lo, hi;
};

// GCC 12's AVX-512 intrinsics trip -Wuninitialized on their own placeholder operands (GCC bug
// 105593, fixed in 13); the warning is about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"

__attribute__((target("avx512f"))) inline Wide mul_wide(__m512i a, __m512i b) {
    // vpmuludq multiplies the even 32-bit lanes; the odd ones are shifted down to take part.
    const __m512i even = _mm512_mul_epu32(a, b);
    const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));
    constexpr __mmask16 kOdd = 0xAAAA;
    return {_mm512_mask_blend_epi32(kOdd, even, _mm512_slli_epi64(odd, 32)),
            _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(even, 32), odd)};
}

// alias_sample on sixteen lanes: column from the high word of bits * n, then keep it or take its
// alias.
__attribute__((target("avx512f"))) inline __m512i alias_16(const core::AliasEntry* table, __m512i n,
                                                           __m512i column_bits,
                                                           __m512i accept_bits) {
    const auto* words = reinterpret_cast<const int*>(table);
    const __m512i column = mul_wide(column_bits, n).hi;
    const __m512i threshold = _mm512_i32gather_epi32(column, words, 8);
    const __m512i alias = _mm512_i32gather_epi32(column, words + 1, 8);
    const __mmask16 keep = _mm512_cmplt_epu32_mask(accept_bits, threshold);
    return _mm512_mask_blend_epi32(keep, alias, column);
}

// Thirty-two Philox blocks, counters (first + lane, c1, c2, c3), in two groups so the round
// latencies overlap. Samples 2 (first + lane) and 2 (first + lane) + 1: 64 actions per call.
__attribute__((target("avx512f"))) void draw_64(const core::AliasEntry* table, std::uint32_t n,
                                                std::uint32_t first, std::uint32_t c1,
                                                std::uint32_t c2, std::uint32_t c3,
                                                std::uint32_t k0, std::uint32_t k1,
                                                std::uint32_t* actions) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512i v0[2], v1[2], v2[2], v3[2];
    for (int g = 0; g < 2; ++g) {
        v0[g] = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first + 16u * g)), lane);
        v1[g] = _mm512_set1_epi32(static_cast<int>(c1));
        v2[g] = _mm512_set1_epi32(static_cast<int>(c2));
        v3[g] = _mm512_set1_epi32(static_cast<int>(c3));
    }
    const __m512i m0 = _mm512_set1_epi32(static_cast<int>(core::philox_detail::kMul0));
    const __m512i m1 = _mm512_set1_epi32(static_cast<int>(core::philox_detail::kMul1));
    std::uint32_t key0 = k0, key1 = k1;
    for (int r = 0; r < 10; ++r) {
        if (r > 0) {
            key0 += core::philox_detail::kWeyl0;
            key1 += core::philox_detail::kWeyl1;
        }
        const __m512i kk0 = _mm512_set1_epi32(static_cast<int>(key0));
        const __m512i kk1 = _mm512_set1_epi32(static_cast<int>(key1));
        for (int g = 0; g < 2; ++g) {
            const Wide p0 = mul_wide(m0, v0[g]);
            const Wide p1 = mul_wide(m1, v2[g]);
            const __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(p1.hi, v1[g]), kk0);
            const __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(p0.hi, v3[g]), kk1);
            v1[g] = p1.lo;
            v3[g] = p0.lo;
            v0[g] = n0;
            v2[g] = n2;
        }
    }
    const __m512i vn = _mm512_set1_epi32(static_cast<int>(n));
    // Interleave: sample 2j from the even draws, 2j + 1 from the odd ones.
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    for (int g = 0; g < 2; ++g) {
        const __m512i even = alias_16(table, vn, v0[g], v1[g]);
        const __m512i odd = alias_16(table, vn, v2[g], v3[g]);
        _mm512_storeu_si512(actions + 32 * g, _mm512_permutex2var_epi32(even, low, odd));
        _mm512_storeu_si512(actions + 32 * g + 16, _mm512_permutex2var_epi32(even, high, odd));
    }
}

#pragma GCC diagnostic pop

// Checked once: the CPU does not change under a running program.
const bool kHaveAvx512 = __builtin_cpu_supports("avx512f");
#endif

}  // namespace

// The Philox rounds are 32 x 32 -> 64-bit multiplies, which SSE2 does two at a time, AVX2 four
// and AVX-512 eight; one binary carries all three and picks at load time, so it still runs on
// any x86-64. Only integers are computed here, so the clones cannot differ in their results.
// (Not under ThreadSanitizer: the clones' resolver runs while the program is being loaded, before
// the sanitizer's runtime, and its instrumented code crashes there.)
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(RL_NO_TARGET_CLONES)
__attribute__((target_clones("default", "avx2", "avx512f")))
#endif
void draw_batch_actions(const core::AliasEntry* table, std::uint32_t n, const core::StreamKey& key, int K,
                        std::uint32_t* actions) {
    const std::uint32_t c1 = key.batch, c2 = key.step;
    const std::uint32_t c3 =
        (static_cast<std::uint32_t>(key.purpose) << 24) | (key.run & 0xFFFFFFu);
    const auto k0 = static_cast<std::uint32_t>(key.seed);
    const auto k1 = static_cast<std::uint32_t>(key.seed >> 32);
    const int pairs = (K + 1) / 2;
    int first = 0;
#ifdef RL_AVX512_DRAW
    if (kHaveAvx512) {
        // Whole groups of 64 samples by hand; a ragged tail goes through the loop below.
        for (; 2 * (first + 32) <= K; first += 32)
            draw_64(table, n, static_cast<std::uint32_t>(first), c1, c2, c3, k0, k1,
                    actions + 2 * first);
    }
#endif
    for (; first < pairs; first += kLanes) {
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
                key0 += core::philox_detail::kWeyl0;
                key1 += core::philox_detail::kWeyl1;
            }
            // Kept a loop so the vectoriser sees lanes rather than sixteen unrolled scalars.
#pragma GCC unroll 1
            for (int l = 0; l < kLanes; ++l) {
                const std::uint64_t p0 =
                    static_cast<std::uint64_t>(core::philox_detail::kMul0) * v0[l];
                const std::uint64_t p1 =
                    static_cast<std::uint64_t>(core::philox_detail::kMul1) * v2[l];
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
            actions[k] = core::alias_sample(table, n, v0[l], v1[l]);
            if (k + 1 < K) actions[k + 1] = core::alias_sample(table, n, v2[l], v3[l]);
        }
    }
}

}  // namespace rl::engine
