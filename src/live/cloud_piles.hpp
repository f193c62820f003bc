#pragma once

#include <vector>

#include "engine/engine.hpp"

// With one sample per step and rewards fixed per action, the cloud's thousands of estimates take
// only a few distinct values, one per action: piles that a scatter draws as a few 3-pixel dots.
// The plot draws each pile once instead, sized by its share of the estimates.
namespace rl::live {

inline constexpr std::size_t kMaxPiles = 12;

struct CloudPile {
    float x = 0.0f, y = 0.0f;
    double share = 0.0;  // of the cloud's estimates
};

struct CloudPiles {
    bool valid = false;            // at most kMaxPiles distinct estimates
    std::vector<CloudPile> piles;  // largest first
};

CloudPiles cloud_piles(const engine::CloudResult& cloud);

}  // namespace rl::live
