// Tick positions and labels: 1-2-5 steps, exact decimals, zero snapped, short exponents, log
// decades; and the number formatting shared with the hover read-out.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "plot/format.hpp"
#include "plot/ticks.hpp"

namespace {

using rl::plot::TickSet;

std::vector<double> values(const TickSet& t, bool labelled_only = false) {
    std::vector<double> v;
    for (const auto& tick : t.ticks) {
        if (!labelled_only || tick.labelled) v.push_back(tick.value);
    }
    return v;
}

std::vector<std::string> labels(const TickSet& t) {
    std::vector<std::string> v;
    for (const auto& tick : t.ticks) {
        if (tick.labelled) v.emplace_back(t.label(tick));
    }
    return v;
}

std::vector<std::string> majors(const TickSet& t) {
    std::vector<std::string> v;
    for (const auto& tick : t.ticks) {
        if (tick.major) v.push_back(std::to_string(tick.value));
    }
    return v;
}

std::string value_text(double v, bool percent = false) {
    std::string s;
    rl::plot::append_value(v, percent, s);
    return s;
}

}  // namespace

TEST_CASE("plot ticks: nice steps are 1, 2 or 5 times a power of ten, nearest by ratio") {
    CHECK(rl::plot::nice_step(0.25).value == 0.2);
    CHECK(rl::plot::nice_step(0.35).value == 0.5);
    CHECK(rl::plot::nice_step(0.75).value == 1.0);
    CHECK(rl::plot::nice_step(1.3).value == 1.0);
    CHECK(rl::plot::nice_step(1.5).value == 2.0);
    CHECK(rl::plot::nice_step(7.2).value == 10.0);
    CHECK(rl::plot::nice_step(3e-10).value == 2e-10);
    CHECK(rl::plot::nice_step(0.0).value == 0.0);
    CHECK(rl::plot::nice_step(-1.0).value == 0.0);
    CHECK(rl::plot::nice_step(NAN).value == 0.0);
    // One labelled tick per spacing pixels, never fewer than two intervals.
    CHECK(rl::plot::target_intervals(450, 90) == 5.0);
    CHECK(rl::plot::target_intervals(50, 90) == 2.0);
}

TEST_CASE("plot ticks: 0..1 steps by 0.2 with exact decimal values and clean labels") {
    TickSet t;
    rl::plot::linear_ticks(0.0, 1.0, 5, false, t);
    CHECK(values(t) == std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0});
    CHECK(labels(t) == std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1"});
    CHECK(t.step == 0.2);

    // 3 * 0.1 is 0.30000000000000004 in binary; the ticks must be the decimals themselves.
    rl::plot::linear_ticks(0.05, 0.72, 6, false, t);
    CHECK(values(t) == std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7});
    CHECK(labels(t) == std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"});

    rl::plot::linear_ticks(0.0, 1.0, 5, true, t);
    CHECK(labels(t) == std::vector<std::string>{"0%", "20%", "40%", "60%", "80%", "100%"});
}

TEST_CASE("plot ticks: -3.7..12.2 with zero snapped to exactly +0") {
    TickSet t;
    rl::plot::linear_ticks(-3.7, 12.2, 5, false, t);  // raw step 3.18 rounds to 5
    CHECK(values(t) == std::vector<double>{0.0, 5.0, 10.0});
    CHECK(labels(t) == std::vector<std::string>{"0", "5", "10"});

    rl::plot::linear_ticks(-3.7, 12.2, 8, false, t);  // raw step 1.99 rounds to 2
    CHECK(values(t) == std::vector<double>{-2, 0, 2, 4, 6, 8, 10, 12});
    CHECK(labels(t) == std::vector<std::string>{"-2", "0", "2", "4", "6", "8", "10", "12"});
    for (const auto& tick : t.ticks) {
        if (tick.value == 0) CHECK_FALSE(std::signbit(tick.value));
    }

    // A symmetric range straddling zero by tenths: zero appears once, without a sign.
    rl::plot::linear_ticks(-0.3, 0.3, 6, false, t);
    CHECK(labels(t) == std::vector<std::string>{"-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"});
}

TEST_CASE("plot ticks: tiny and huge ranges get short scientific labels") {
    TickSet t;
    rl::plot::linear_ticks(0.0, 1e-9, 5, false, t);
    CHECK(labels(t) == std::vector<std::string>{"0", "2e-10", "4e-10", "6e-10", "8e-10", "1e-9"});
    CHECK(t.ticks.back().value == 1e-9);

    // A nano-range far from zero keeps enough digits to tell its ticks apart.
    rl::plot::linear_ticks(1.0, 1.0 + 1e-9, 5, false, t);
    const std::vector<std::string> near_one = labels(t);
    REQUIRE(near_one.size() >= 3);
    for (std::size_t i = 1; i < near_one.size(); ++i) {
        CHECK(near_one[i] != near_one[i - 1]);
        CHECK(t.ticks[i].value > t.ticks[i - 1].value);
    }
    CHECK(near_one[1] == "1.0000000002");

    rl::plot::linear_ticks(-1e300, 1e300, 5, false, t);
    CHECK(labels(t) == std::vector<std::string>{"-1e300", "-5e299", "0", "5e299", "1e300"});

    rl::plot::linear_ticks(0, 2.5e6, 5, false, t);
    CHECK(labels(t) == std::vector<std::string>{"0", "5e5", "1e6", "1.5e6", "2e6", "2.5e6"});

    // Ranges a double cannot subdivide, and nonsense, give no garbage.
    rl::plot::linear_ticks(1e17, 1e17 + 64, 5, false, t);
    CHECK(t.ticks.size() == 2);
    rl::plot::linear_ticks(1.0, 1.0, 5, false, t);
    CHECK(t.ticks.empty());
    rl::plot::linear_ticks(NAN, 1.0, 5, false, t);
    CHECK(t.ticks.empty());
    rl::plot::linear_ticks(0.0, INFINITY, 5, false, t);
    CHECK(t.ticks.empty());
}

TEST_CASE("plot ticks: log axes mark decades, with 2..9 minors when few decades show") {
    TickSet t;
    rl::plot::log_ticks(1.0, 4096.0, 5, false, t);
    CHECK(values(t, true) == std::vector<double>{1, 10, 100, 1000});
    CHECK(labels(t) == std::vector<std::string>{"1", "10", "100", "1e3"});
    std::vector<double> minors;
    for (const auto& tick : t.ticks) {
        if (!tick.major) minors.push_back(tick.value);
    }
    CHECK(minors.size() == 8 * 3 + 3);  // 2..9 in three full decades, then 2000, 3000, 4000
    CHECK(minors.front() == 2.0);
    CHECK(minors.back() == 4000.0);

    rl::plot::log_ticks(0.01, 100.0, 5, false, t);
    CHECK(labels(t) == std::vector<std::string>{"0.01", "0.1", "1", "10", "100"});

    // Twenty decades: every fourth is labelled and the minors are dropped.
    rl::plot::log_ticks(1e-10, 1e10, 5, false, t);
    CHECK(labels(t) == std::vector<std::string>{"1e-8", "1e-4", "1", "1e4", "1e8"});
    CHECK(majors(t).size() == t.ticks.size());

    // Room for more labels: 2 and 5 get theirs.
    rl::plot::log_ticks(1.0, 100.0, 8, false, t);
    CHECK(labels(t) == std::vector<std::string>{"1", "2", "5", "10", "20", "50", "100"});

    // Under one decade there is no decade to mark; linear ticks inside the range instead.
    rl::plot::log_ticks(2.0, 8.0, 5, false, t);
    CHECK(values(t) == std::vector<double>{2, 3, 4, 5, 6, 7, 8});

    rl::plot::log_ticks(0.0, 10.0, 5, false, t);
    CHECK(t.ticks.empty());
    rl::plot::log_ticks(-5.0, 10.0, 5, false, t);
    CHECK(t.ticks.empty());
}

TEST_CASE("plot format: read-outs keep a few significant digits and no sign on zero") {
    CHECK(value_text(0.123456) == "0.1235");
    CHECK(value_text(12345.0) == "12345");
    CHECK(value_text(-3.0) == "-3");
    CHECK(value_text(-0.0) == "0");
    CHECK(value_text(1.5e-7) == "1.5e-7");
    CHECK(value_text(2.5e12) == "2.5e12");
    CHECK(value_text(0.25, true) == "25%");
    CHECK(value_text(NAN) == "nan");
    CHECK(value_text(-INFINITY) == "-inf");

    std::string s = "x 1.500e+06";
    rl::plot::tidy_exponent(s, 2);
    CHECK(s == "x 1.5e6");
    s = "2e-07";
    rl::plot::tidy_exponent(s, 0);
    CHECK(s == "2e-7");
    s = "3.0e+00";
    rl::plot::tidy_exponent(s, 0);
    CHECK(s == "3");
}
