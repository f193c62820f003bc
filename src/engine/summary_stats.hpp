#pragma once

#include <span>
#include <vector>

#include "engine/engine.hpp"

namespace rl::engine {

// Mean and 10/50/90% quantiles (linear interpolation between order statistics). Reorders values.
Quantiles summarize(std::span<double> values);

// The histogram's bins and range (counts all zero), so another engine can bin on its device.
Histogram2D histogram_frame(std::span<const float> x, std::span<const float> y, int bins,
                            double true_gradient_norm);

// Projected cloud points -> histogram over a range that holds the bulk of the cloud, the origin
// and the tip of the true gradient; points beyond it are counted in the edge bins so the counts
// always add up to M.
Histogram2D cloud_histogram(std::span<const float> x, std::span<const float> y, int bins,
                            double true_gradient_norm);

}  // namespace rl::engine
