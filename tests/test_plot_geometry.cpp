// The plot module's pixel geometry: axis transforms, min-max decimation, clipping, and the
// auto-fit rule that keeps axes still while data grow.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "plot/clip.hpp"
#include "plot/decimate.hpp"
#include "plot/fit.hpp"
#include "plot/transform.hpp"

namespace {

using rl::plot::AxisTransform;
using rl::plot::BandPoint;
using rl::plot::DPoint;
using rl::plot::DRect;

double polygon_area(const std::vector<DPoint>& p) {
    double twice = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const DPoint& a = p[i];
        const DPoint& b = p[(i + 1) % p.size()];
        twice += a.x * b.y - b.x * a.y;
    }
    return std::abs(0.5 * twice);
}

}  // namespace

TEST_CASE("plot transform: linear and log axes round-trip and are monotonic") {
    const AxisTransform x(-3.0, 7.0, 100.0, 500.0, false);
    CHECK(x.to_pixel(-3.0) == doctest::Approx(100.0));
    CHECK(x.to_pixel(7.0) == doctest::Approx(500.0));
    CHECK(x.to_pixel(2.0) == doctest::Approx(300.0));
    // y: the minimum sits on the bottom edge, so pixels fall as values rise.
    const AxisTransform y(0.0, 1.0, 400.0, 50.0, false);
    CHECK(y.to_pixel(0.0) == doctest::Approx(400.0));
    CHECK(y.to_pixel(1.0) == doctest::Approx(50.0));
    const AxisTransform lg(1.0, 1e4, 0.0, 400.0, true);
    CHECK(lg.to_pixel(10.0) == doctest::Approx(100.0));
    CHECK(lg.to_pixel(1000.0) == doctest::Approx(300.0));
    CHECK_FALSE(std::isfinite(lg.to_pixel(0.0)));
    CHECK_FALSE(std::isfinite(lg.to_pixel(-2.0)));
    CHECK_FALSE(std::isfinite(x.to_pixel(NAN)));

    double previous_x = -INFINITY;
    double previous_y = INFINITY;
    double previous_log = -INFINITY;
    for (int i = 0; i <= 1000; ++i) {
        const double v = -3.0 + 10.0 * i / 1000.0;
        const double px = x.to_pixel(v);
        CHECK(x.to_data(px) == doctest::Approx(v).epsilon(1e-12));
        CHECK(px > previous_x);
        previous_x = px;
        const double py = y.to_pixel(v);
        CHECK(y.to_data(py) == doctest::Approx(v).epsilon(1e-12));
        CHECK(py < previous_y);
        previous_y = py;
        const double w = std::pow(10.0, 4.0 * i / 1000.0);
        const double pl = lg.to_pixel(w);
        CHECK(lg.to_data(pl) == doctest::Approx(w).epsilon(1e-12));
        CHECK(pl > previous_log);
        previous_log = pl;
    }
}

TEST_CASE("plot decimation: a million-point sine keeps every column's extremes and its ends") {
    constexpr std::size_t kPoints = 1'000'000;
    constexpr double kColumns = 500.0;
    std::vector<DPoint> in(kPoints);
    for (std::size_t i = 0; i < kPoints; ++i) {
        const double t = static_cast<double>(i) / (kPoints - 1);
        in[i] = {t * (kColumns - 1e-9), 100.0 * std::sin(2.0 * std::numbers::pi * 37.3 * t)};
    }
    std::vector<DPoint> out;
    rl::plot::decimate_line(in, out);
    CHECK(out.size() <= 2 * static_cast<std::size_t>(kColumns) + 2);
    CHECK(out.size() >= static_cast<std::size_t>(kColumns));
    CHECK(out.front().x == in.front().x);
    CHECK(out.front().y == in.front().y);
    CHECK(out.back().x == in.back().x);
    CHECK(out.back().y == in.back().y);

    // Per column: the extremes of the input and of the output must be the same numbers.
    const auto columns = static_cast<std::size_t>(kColumns);
    std::vector<double> in_lo(columns, INFINITY), in_hi(columns, -INFINITY);
    std::vector<double> out_lo(columns, INFINITY), out_hi(columns, -INFINITY);
    for (const DPoint& p : in) {
        const auto c = static_cast<std::size_t>(p.x);
        in_lo[c] = std::min(in_lo[c], p.y);
        in_hi[c] = std::max(in_hi[c], p.y);
    }
    double previous_x = -INFINITY;
    for (const DPoint& p : out) {
        CHECK(p.x >= previous_x);  // order kept
        previous_x = p.x;
        const auto c = static_cast<std::size_t>(p.x);
        REQUIRE(c < columns);
        out_lo[c] = std::min(out_lo[c], p.y);
        out_hi[c] = std::max(out_hi[c], p.y);
    }
    int mismatches = 0;
    for (std::size_t c = 0; c < columns; ++c) {
        if (out_lo[c] != in_lo[c] || out_hi[c] != in_hi[c]) ++mismatches;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("plot decimation: breaks survive and bands keep their envelope per column") {
    const double nan = NAN;
    const std::vector<DPoint> in = {{0.1, 1},   {0.2, 5}, {0.3, 3}, {nan, nan},
                                    {nan, nan}, {0.4, 2}, {0.5, 9}, {1.5, 4}};
    std::vector<DPoint> out;
    rl::plot::decimate_line(in, out);
    // Before the break: first (1), min (1), max (5), last (3); after: 2, 9 then column 1.
    REQUIRE(out.size() == 7);
    CHECK(out[0].y == 1);
    CHECK(out[1].y == 5);
    CHECK(out[2].y == 3);
    CHECK(std::isnan(out[3].x));
    CHECK(out[4].y == 2);
    CHECK(out[5].y == 9);
    CHECK(out[6].y == 4);

    std::vector<BandPoint> band;
    for (int i = 0; i < 1000; ++i) {
        const double x = i / 100.0;  // ten columns of 100 rows
        band.push_back({x, 50.0 + (i % 7), 40.0 - (i % 13)});
    }
    std::vector<BandPoint> decimated;
    rl::plot::decimate_band(band, decimated);
    CHECK(decimated.size() == 20);
    for (const BandPoint& p : decimated) {
        CHECK(p.a == 40.0 - 12);  // lowest of both edges over the column
        CHECK(p.b == 50.0 + 6);
    }
    CHECK(decimated.front().x == band.front().x);
    CHECK(decimated.back().x == band.back().x);
}

TEST_CASE("plot clipping: segments are cut where they cross, dropped outside, NaN skipped") {
    const DRect r{0, 0, 10, 10};
    DPoint a{-10, 5};
    DPoint b{20, 5};
    REQUIRE(rl::plot::clip_segment(r, a, b));
    CHECK(a.x == 0);
    CHECK(a.y == 5);
    CHECK(b.x == 10);
    CHECK(b.y == 5);

    a = {-5, -5};
    b = {15, 15};
    REQUIRE(rl::plot::clip_segment(r, a, b));
    CHECK(a.x == doctest::Approx(0));
    CHECK(a.y == doctest::Approx(0));
    CHECK(b.x == doctest::Approx(10));
    CHECK(b.y == doctest::Approx(10));

    a = {5, 5};  // inside end stays exactly where it was
    b = {5, 40};
    REQUIRE(rl::plot::clip_segment(r, a, b));
    CHECK(a.y == 5);
    CHECK(b.y == 10);

    a = {-1, -1};
    b = {-5, 20};
    CHECK_FALSE(rl::plot::clip_segment(r, a, b));
    a = {12, 9};  // passes the corner on the outside
    b = {9, 12};
    CHECK_FALSE(rl::plot::clip_segment(r, a, b));
    a = {NAN, 5};
    b = {5, 5};
    CHECK_FALSE(rl::plot::clip_segment(r, a, b));

    // Far-away data give pixel coordinates near the largest double; the cut is still right.
    a = {5, 5};
    b = {1e300, 5};
    REQUIRE(rl::plot::clip_segment(r, a, b));
    CHECK(b.x == 10);
    a = {-1.7e308, -1.7e308};
    b = {1.7e308, 1.7e308};
    REQUIRE(rl::plot::clip_segment(r, a, b));
    CHECK(a.x == doctest::Approx(0));
    CHECK(b.y == doctest::Approx(10));

    // A polyline leaving and re-entering becomes two pieces; the NaN splits once more.
    const std::vector<DPoint> line = {{1, 1}, {5, 5},     {5, 20}, {8, 5},
                                      {9, 6}, {NAN, NAN}, {2, 2},  {3, 3}};
    std::vector<DPoint> points;
    std::vector<std::uint32_t> sizes;
    rl::plot::clip_polyline(r, line, points, sizes);
    REQUIRE(sizes == std::vector<std::uint32_t>{3, 3, 2});
    CHECK(points[2].x == 5);
    CHECK(points[2].y == 10);
    CHECK(points[3].y == 10);
    CHECK(points[3].x == doctest::Approx(5 + 3.0 * 10 / 15));
    for (const DPoint& p : points)
        CHECK(r.contains(p));
}

TEST_CASE("plot clipping: convex polygons keep exactly their part inside the rectangle") {
    const DRect r{0, 0, 10, 10};
    std::vector<DPoint> out;
    // A square overlapping a corner by 5 x 5.
    const DPoint square[4] = {{5, 5}, {15, 5}, {15, 15}, {5, 15}};
    REQUIRE(rl::plot::clip_convex_polygon(r, square, out) == 4);
    CHECK(polygon_area(out) == doctest::Approx(25));

    // A triangle over the whole square but for its far corner, cut off with legs of 4.
    out.clear();
    const DPoint tri[3] = {{0, 0}, {16, 0}, {0, 16}};
    const std::size_t n = rl::plot::clip_convex_polygon(r, tri, out);
    REQUIRE(n == 5);
    CHECK(polygon_area(out) == doctest::Approx(100 - 0.5 * 4 * 4));
    for (const DPoint& p : out)
        CHECK(r.contains(p));

    out.clear();
    const DPoint outside[3] = {{20, 20}, {30, 20}, {20, 30}};
    CHECK(rl::plot::clip_convex_polygon(r, outside, out) == 0);
    const DPoint bad[3] = {{1, 1}, {NAN, 2}, {3, 1}};
    CHECK(rl::plot::clip_convex_polygon(r, bad, out) == 0);
    CHECK(out.empty());
}

TEST_CASE("plot fit: padded, zero kept, degenerate and empty data get a span") {
    using rl::plot::Extent;
    using rl::plot::FitSpec;
    Extent e;
    e.add(0.2, false);
    e.add(0.9, false);
    FitSpec spec;
    rl::plot::Range r = rl::plot::fit_range(e, spec);
    CHECK(r.min < 0.2);
    CHECK(r.max > 0.9);
    CHECK(r.max - r.min < 1.0);

    spec.include_zero = true;
    r = rl::plot::fit_range(e, spec);
    CHECK(r.min == 0.0);  // padding does not push below zero
    CHECK(r.max >= 0.9);

    Extent one;
    one.add(5.0, false);
    r = rl::plot::fit_range(one, FitSpec{});
    CHECK(r.min < 5.0);
    CHECK(r.max > 5.0);

    r = rl::plot::fit_range(Extent{}, FitSpec{});
    CHECK(r.min == 0.0);
    CHECK(r.max == 1.0);

    FitSpec log;
    log.log = true;
    Extent positive;
    for (double v : {-3.0, 0.0, 1.0, 4096.0})
        positive.add(v, true);
    CHECK(positive.min == 1.0);
    r = rl::plot::fit_range(positive, log);
    CHECK(r.min > 0.0);
    CHECK(r.min < 1.0);
    CHECK(r.max > 4096.0);

    FitSpec fixed;
    fixed.fixed_min = 0.0;
    fixed.fixed_max = 1.0;
    r = rl::plot::fit_range(e, fixed);
    CHECK(r.min == 0.0);
    CHECK(r.max == 1.0);
    fixed.fixed_max = -1.0;  // contradictory: still a usable view
    r = rl::plot::fit_range(e, fixed);
    CHECK(r.max > r.min);
}

TEST_CASE("plot fit: a growing history moves the axis now and then, never every frame") {
    using rl::plot::Extent;
    rl::plot::FitSpec spec;
    rl::plot::Range view;
    int sparse = 0;
    bool has_view = false;
    int changes = 0;
    int late_changes = 0;
    auto step = [&](const Extent& e) {
        const rl::plot::Range next =
            rl::plot::auto_view(has_view ? &view : nullptr, e, spec, sparse);
        const bool changed = has_view && (next.min != view.min || next.max != view.max);
        view = next;
        has_view = true;
        return changed;
    };
    for (int t = 1; t <= 1000; ++t) {
        Extent e;
        e.add(0.0, false);
        e.add(static_cast<double>(t), false);
        if (step(e)) {
            ++changes;
            if (t > 900) ++late_changes;
        }
        REQUIRE(view.min <= 0.0);
        REQUIRE(view.max >= t);
    }
    CHECK(changes <= 40);
    CHECK(late_changes <= 1);

    // Noisy extremes of a steady cloud: the view settles after at most a couple of moves.
    changes = 0;
    has_view = false;
    for (int frame = 0; frame < 300; ++frame) {
        Extent e;
        e.add(0.4 + 0.03 * std::sin(frame * 1.7), false);
        e.add(0.6 + 0.03 * std::cos(frame * 2.3), false);
        if (step(e)) ++changes;
        REQUIRE(view.min <= e.min);
        REQUIRE(view.max >= e.max);
    }
    CHECK(changes <= 2);

    // Data that shrink to a corner of the view are refitted, after a short delay.
    Extent small;
    small.add(10.0, false);
    small.add(11.0, false);
    view = {0.0, 1000.0};
    sparse = 0;
    for (int frame = 1; frame < rl::plot::kShrinkAfterFrames; ++frame) {
        CHECK_FALSE(step(small));
    }
    CHECK(step(small));
    CHECK(view.min > 5.0);
    CHECK(view.max < 20.0);
    CHECK(view.min <= 10.0);
    CHECK(view.max >= 11.0);
}
