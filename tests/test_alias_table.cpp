// The alias table: the distribution it implies equals the one it was built from (up to the
// documented column-weight bias), and sampling it with Philox words passes a goodness-of-fit test.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/alias_table.hpp"
#include "core/random_streams.hpp"

namespace {

constexpr double kTwo32 = 4294967296.0;

std::vector<double> normalised(std::vector<double> p) {
    double total = 0.0;
    for (double x : p)
        total += x;
    for (double& x : p)
        x /= total;
    return p;
}

// The implied probability of each action differs from the input by two documented effects:
// (1) the column comes from the high word of bits * N, so each column's weight is an integer
//     count of 32-bit words, off from 1/N by under 2^-32 absolute, i.e. N / 2^32 relative; every
//     contribution to p_a scales by that, so the error is at most p_a N / 2^32;
// (2) each column's keep threshold is rounded to a whole word, moving at most half a word
//     (2^-33 of the column's weight) between the column's action and its alias; the columns that
//     touch one action weigh at most 1 in total, so that is at most 2^-33.
// A few ulps of the Vose construction (rescaling and subtracting) come on top.
void check_implied(const std::string& name, const std::vector<double>& input) {
    const std::vector<double> p = normalised(input);
    const rl::core::AliasTable table(input);  // unnormalised on purpose: the table normalises
    REQUIRE(table.size() == p.size());
    const std::vector<double> implied = table.implied_probabilities();
    REQUIRE(implied.size() == p.size());
    const double n = static_cast<double>(p.size());
    const bool power_of_two = (p.size() & (p.size() - 1)) == 0;
    double total = 0.0;
    for (std::size_t a = 0; a < p.size(); ++a) {
        total += implied[a];
        const double err = std::abs(implied[a] - p[a]);
        // With N a power of two the column weights are exact and only the threshold rounding
        // remains.
        const double bound =
            (power_of_two ? 0.0 : p[a] * n / kTwo32) + std::ldexp(1.0, -33) + 1e-14;
        INFO(name << ": action " << a << " input " << p[a] << " implied " << implied[a] << " error "
                  << err << " bound " << bound);
        CHECK(err <= bound);
        CHECK(err <= 1e-9);
        // An action with no probability must never be drawn, not merely rarely.
        if (p[a] == 0.0) CHECK(implied[a] == 0.0);
    }
    INFO(name << ": implied probabilities sum to " << total);
    CHECK(std::abs(total - 1.0) <= 1e-12);
}

}  // namespace

TEST_CASE("alias table implies its input distribution: uniform, N = 3") {
    check_implied("uniform 3", {1.0, 1.0, 1.0});
}

TEST_CASE("alias table implies its input distribution: the yes/no/maybe policy") {
    check_implied("yes/no/maybe", {0.3, 0.5, 0.2});
}

TEST_CASE("alias table implies its input distribution: skewed and with zeros") {
    check_implied("skewed", {0.97, 0.01, 0.01, 0.01});
    check_implied("zeros", {0.0, 0.5, 0.0, 0.25, 0.25, 0.0});
    check_implied("one nonzero", {0.0, 0.0, 7.0, 0.0});
}

TEST_CASE("alias table implies its input distribution: N = 1000, uniform and geometric") {
    check_implied("uniform 1000", std::vector<double>(1000, 1.0));
    std::vector<double> geo(1000);
    for (std::size_t i = 0; i < geo.size(); ++i)
        geo[i] = std::pow(0.99, static_cast<double>(i));
    check_implied("geometric 1000", geo);
}

TEST_CASE("alias table implies its input distribution: Zipf over 50,000 and 1,024 actions") {
    std::vector<double> zipf(50000);
    for (std::size_t i = 0; i < zipf.size(); ++i)
        zipf[i] = 1.0 / static_cast<double>(i + 1);
    check_implied("zipf 50k", zipf);
    std::vector<double> zipf2(1024);
    for (std::size_t i = 0; i < zipf2.size(); ++i)
        zipf2[i] = 1.0 / static_cast<double>(i + 1);
    check_implied("zipf 1024 (power of two)", zipf2);
}

TEST_CASE("alias table rejects empty, negative, non-finite and all-zero inputs") {
    CHECK_THROWS_AS(rl::core::AliasTable(std::vector<double>{}), std::invalid_argument);
    CHECK_THROWS_AS(rl::core::AliasTable(std::vector<double>{0.5, -0.1}), std::invalid_argument);
    CHECK_THROWS_AS(rl::core::AliasTable(std::vector<double>{0.5, std::nan("")}),
                    std::invalid_argument);
    CHECK_THROWS_AS(rl::core::AliasTable(std::vector<double>{0.0, 0.0}), std::invalid_argument);
}

namespace {

// Upper tail of the chi-square distribution with an odd number of degrees of freedom k, in
// closed form (repeated integration by parts of the chi-square density):
//   Q(x; k) = 2 (1 - Phi(sqrt x)) + 2 phi(sqrt x) sum_{j=1}^{(k-1)/2} x^{(2j-1)/2} / (1 3 ...
//   (2j-1)).
double chi_square_tail_odd(double x, int k) {
    const double r = std::sqrt(x);
    const double phi = std::exp(-x / 2.0) / std::sqrt(2.0 * std::numbers::pi);
    double sum = 0.0, term = r;  // x^{1/2} / 1
    for (int j = 1; j <= (k - 1) / 2; ++j) {
        sum += term;
        term *= x / (2.0 * j + 1.0);
    }
    return std::erfc(r / std::sqrt(2.0)) + 2.0 * phi * sum;
}

// The x with Q(x; k) = tail, by bisection (Q is decreasing).
double chi_square_critical_odd(double tail, int k) {
    double lo = 0.0, hi = 1000.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (chi_square_tail_odd(mid, k) > tail ? lo : hi) = mid;
    }
    return lo;
}

double chi_square(const std::vector<double>& counts, const std::vector<double>& probs,
                  double draws) {
    double stat = 0.0;
    for (std::size_t a = 0; a < counts.size(); ++a) {
        const double expected = draws * probs[a];
        stat += (counts[a] - expected) * (counts[a] - expected) / expected;
    }
    return stat;
}

}  // namespace

TEST_CASE("chi-square critical value for df = 9 at p = 1e-6 is derived, not copied") {
    // The closed form reproduces the textbook 5% point of chi-square(9), 16.919.
    CHECK(chi_square_tail_odd(16.919, 9) == doctest::Approx(0.05).epsilon(1e-4));
    const double crit = chi_square_critical_odd(1e-6, 9);
    CAPTURE(crit);
    CHECK(crit == doctest::Approx(44.81).epsilon(1e-3));
}

TEST_CASE("alias_sample with Philox words passes a chi-square goodness-of-fit test, N = 10") {
    // p_a proportional to a + 1: not uniform, and N not a power of two, so both the alias and
    // the column multiply are exercised.
    std::vector<double> w(10);
    for (std::size_t a = 0; a < w.size(); ++a)
        w[a] = static_cast<double>(a + 1);
    const std::vector<double> p = normalised(w);
    const rl::core::AliasTable table(w);

    const std::uint32_t draws = 1u << 20;
    std::vector<double> counts(w.size(), 0.0);
    const rl::core::StreamKey key{20240601, rl::core::Purpose::kCloudAction, 0, 0, 0};
    for (std::uint32_t pair = 0; pair < draws / 2; ++pair) {
        const rl::core::PhiloxCounter bits = rl::core::draw_pair(key, pair);
        counts[rl::core::alias_sample(table.data(), table.size(), bits.v[0], bits.v[1])] += 1.0;
        counts[rl::core::alias_sample(table.data(), table.size(), bits.v[2], bits.v[3])] += 1.0;
    }

    // Under the null hypothesis the statistic is chi-square with N - 1 = 9 degrees of freedom;
    // rejecting above the 1e-6 upper quantile makes a false alarm a one-in-a-million event for a
    // fixed seed (it is deterministic here, so it either always passes or always fails).
    const double crit = chi_square_critical_odd(1e-6, 9);
    const double stat = chi_square(counts, p, draws);
    CAPTURE(stat);
    CAPTURE(crit);
    CHECK(stat < crit);

    // The test has power: the same draws, judged against a distribution with the two largest
    // probabilities swapped (a 10% relative error on each), fail it by a wide margin.
    std::vector<double> wrong = p;
    std::swap(wrong[8], wrong[9]);
    const double wrong_stat = chi_square(counts, wrong, draws);
    CAPTURE(wrong_stat);
    CHECK(wrong_stat > 10.0 * crit);
}

TEST_CASE("alias_sample never draws a zero-probability action") {
    const std::vector<double> w = {0.0, 3.0, 0.0, 1.0, 0.0, 2.0, 0.0};
    const rl::core::AliasTable table(w);
    const rl::core::StreamKey key{7, rl::core::Purpose::kTrainAction, 1, 2, 3};
    std::vector<std::uint32_t> counts(w.size(), 0);
    for (std::uint32_t pair = 0; pair < 100000; ++pair) {
        const rl::core::PhiloxCounter bits = rl::core::draw_pair(key, pair);
        ++counts[rl::core::alias_sample(table.data(), table.size(), bits.v[0], bits.v[1])];
        ++counts[rl::core::alias_sample(table.data(), table.size(), bits.v[2], bits.v[3])];
    }
    for (std::size_t a = 0; a < w.size(); ++a) {
        INFO("action " << a << " weight " << w[a] << " drawn " << counts[a] << " times");
        if (w[a] == 0.0)
            CHECK(counts[a] == 0u);
        else
            CHECK(counts[a] > 0u);
    }
    // Extreme words land in the first and last columns and still give a valid action.
    for (std::uint32_t column_bits : {0u, 0xffffffffu})
        for (std::uint32_t accept_bits : {0u, 0xffffffffu}) {
            const std::uint32_t a =
                rl::core::alias_sample(table.data(), table.size(), column_bits, accept_bits);
            INFO("words " << column_bits << ", " << accept_bits << " gave action " << a);
            REQUIRE(a < w.size());
            CHECK(w[a] > 0.0);
        }
}
