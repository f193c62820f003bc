// A one-dimensional cloud becomes a histogram along the true gradient: the counts summed across
// the empty second axis, as shares that add to 1, drawn as a step outline.

#include <doctest/doctest.h>

#include <numeric>

#include "live/cloud_strip.hpp"

TEST_CASE("cloud strip: a one-dimensional cloud's histogram, summed across, as shares") {
    rl::engine::CloudResult c;
    c.axis_x = {1.0};
    c.axis_y = {0.0};
    c.histogram.bins_x = 4;
    c.histogram.bins_y = 2;
    c.histogram.x_min = -1.0;
    c.histogram.x_max = 3.0;
    c.histogram.y_min = -1.0;
    c.histogram.y_max = 1.0;
    c.histogram.counts = {1, 0, 0, 2, 0, 3, 0, 2};  // rows y = 0, 1
    const rl::live::CloudStrip s = rl::live::cloud_strip(c);
    REQUIRE(s.valid);
    REQUIRE(s.x.size() == 8);
    REQUIRE(s.share.size() == 8);
    // Bin 0 holds 1 of 8, bin 1 3 of 8, bin 2 none, bin 3 4 of 8; each as its left and right edge.
    const double expected[] = {0.125, 0.125, 0.375, 0.375, 0.0, 0.0, 0.5, 0.5};
    const double edges[] = {-1, 0, 0, 1, 1, 2, 2, 3};
    for (int i = 0; i < 8; ++i) {
        CHECK(s.share[i] == doctest::Approx(expected[i]).epsilon(1e-15));
        CHECK(s.x[i] == doctest::Approx(edges[i]).epsilon(1e-15));
    }

    // With a second direction there is no strip: the scatter shows the cloud.
    c.axis_x = {1.0, 0.0};
    c.axis_y = {0.0, 1.0};
    CHECK_FALSE(rl::live::one_dimensional(c));
    CHECK_FALSE(rl::live::cloud_strip(c).valid);
}
