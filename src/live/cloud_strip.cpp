#include "live/cloud_strip.hpp"

#include <algorithm>

namespace rl::live {

bool one_dimensional(const engine::CloudResult& cloud) {
    return !cloud.axis_x.empty() &&
           std::all_of(cloud.axis_y.begin(), cloud.axis_y.end(), [](double v) { return v == 0.0; });
}

CloudStrip cloud_strip(const engine::CloudResult& cloud) {
    CloudStrip strip;
    const engine::Histogram2D& h = cloud.histogram;
    if (!one_dimensional(cloud) || h.bins_x <= 0 || h.bins_y <= 0 || h.counts.empty() ||
        !(h.x_max > h.x_min))
        return strip;
    std::vector<double> counts(static_cast<std::size_t>(h.bins_x), 0.0);
    double total = 0.0;
    for (int y = 0; y < h.bins_y; ++y) {
        for (int x = 0; x < h.bins_x; ++x) {
            const double c = h.counts[static_cast<std::size_t>(y) * h.bins_x + x];
            counts[static_cast<std::size_t>(x)] += c;
            total += c;
        }
    }
    if (!(total > 0.0)) return strip;
    const double width = (h.x_max - h.x_min) / h.bins_x;
    for (int x = 0; x < h.bins_x; ++x) {
        const double share = counts[static_cast<std::size_t>(x)] / total;
        strip.x.push_back(h.x_min + width * x);
        strip.share.push_back(share);
        strip.x.push_back(h.x_min + width * (x + 1));
        strip.share.push_back(share);
    }
    strip.valid = true;
    return strip;
}

}  // namespace rl::live
