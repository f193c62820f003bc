#pragma once

#include <vector>

#include "core/policy_point.hpp"
#include "engine/engine.hpp"

// With one sample per step and rewards fixed per action, the cloud's thousands of estimates take
// only a few distinct values, one per action: piles that a scatter draws as a few 3-pixel dots.
// The plot draws each pile once instead, sized by its share of the estimates.
namespace rl::live {

inline constexpr std::size_t kMaxPiles = 12;

struct CloudPile {
    float x = 0.0f, y = 0.0f;
    double share = 0.0;  // of the cloud's estimates
    int action = -1;     // the action whose sample makes this estimate; -1 unknown or several
};

struct CloudPiles {
    bool valid = false;            // at most kMaxPiles distinct estimates
    std::vector<CloudPile> piles;  // largest first
};

CloudPiles cloud_piles(const engine::CloudResult& cloud);

// Which action each pile is, so the plot can colour and name it as the lesson texts do ("the
// trattoria's pile points uphill"). With one sample a step, fixed rewards and a baseline that is
// a fixed number, action a always gives (R_a - b) s_a plus the exact KL and entropy part; a pile
// takes the one action whose estimate lands on it. Elsewhere the piles stay unnamed.
void name_piles(CloudPiles& piles, const core::PolicyPoint& pt, const core::EstimatorSettings& s,
                double running_value, const engine::CloudResult& cloud);

}  // namespace rl::live
