#pragma once

#include <vector>

#include "engine/engine.hpp"

// A cloud whose gradient space is one-dimensional (two actions, or one free logit) has nothing
// across the true gradient: its estimates lie on a line. The plot shows them as a histogram
// along the true gradient instead of a scatter squashed onto a zero-height axis.
namespace rl::live {

struct CloudStrip {
    bool valid = false;  // the cloud is one-dimensional and has a histogram
    // The histogram as a step outline: two points per bin (its left and right edge) at the
    // share of the estimates that fell in it.
    std::vector<double> x, share;
};

// True when the cloud's second axis is zero: the gradient space has one dimension.
bool one_dimensional(const engine::CloudResult& cloud);
// The cloud's histogram summed across its (empty) second axis; invalid unless one_dimensional.
CloudStrip cloud_strip(const engine::CloudResult& cloud);

}  // namespace rl::live
