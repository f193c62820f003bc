#pragma once

#include <cstdint>

#include "core/host_device.hpp"

// Philox4x32-10 (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3", SC11).
// A counter-based generator: the output is a pure function of (counter, key), which is what lets
// every engine draw the same sample for the same (seed, purpose, run, step, batch, sample).
namespace rl::core {

struct PhiloxCounter {
    std::uint32_t v[4];
};

struct PhiloxKey {
    std::uint32_t v[2];
};

namespace philox_detail {
inline constexpr std::uint32_t kMul0 = 0xD2511F53u;
inline constexpr std::uint32_t kMul1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;
inline constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;

RL_HOST_DEVICE inline void mul_hi_lo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi,
                                     std::uint32_t& lo) {
    const std::uint64_t product = static_cast<std::uint64_t>(a) * b;
    hi = static_cast<std::uint32_t>(product >> 32);
    lo = static_cast<std::uint32_t>(product);
}

RL_HOST_DEVICE inline PhiloxCounter round(PhiloxCounter c, PhiloxKey k) {
    std::uint32_t hi0, lo0, hi1, lo1;
    mul_hi_lo(kMul0, c.v[0], hi0, lo0);
    mul_hi_lo(kMul1, c.v[2], hi1, lo1);
    return PhiloxCounter{{hi1 ^ c.v[1] ^ k.v[0], lo1, hi0 ^ c.v[3] ^ k.v[1], lo0}};
}
}  // namespace philox_detail

RL_HOST_DEVICE inline PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
    for (int r = 0; r < 10; ++r) {
        if (r > 0) {
            key.v[0] += philox_detail::kWeyl0;
            key.v[1] += philox_detail::kWeyl1;
        }
        counter = philox_detail::round(counter, key);
    }
    return counter;
}

}  // namespace rl::core
