// A training batch of few samples over many actions drawn by inverting pi's cumulative
// distribution (engine/cdf_draw): each sample's action is the one its uniform falls in, found by
// a plain search; never an action of probability 0; and the draws follow pi (a chi-square test at
// the 1e-6 level over groups of actions).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/random_streams.hpp"
#include "engine/cdf_draw.hpp"

namespace {

// Zipf-like probabilities with every fifth action impossible, summing to 1.
std::vector<double> zipf_with_holes(std::size_t n) {
    std::vector<double> pi(n);
    double total = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
        pi[a] = a % 5 == 3 ? 0.0 : 1.0 / std::pow(a + 1.0, 1.1);
        total += pi[a];
    }
    for (double& p : pi)
        p /= total;
    return pi;
}

// The definition, one sample at a time: the first action whose cumulative probability exceeds
// the uniform, the last possible one when rounding leaves the uniform above every sum.
std::uint32_t by_search(const std::vector<double>& pi, double u) {
    double below = 0.0;
    std::uint32_t last = 0;
    for (std::uint32_t a = 0; a < pi.size(); ++a) {
        if (!(pi[a] > 0.0)) continue;
        last = a;
        if (u < below + pi[a]) return a;
        below += pi[a];
    }
    return last;
}

}  // namespace

TEST_CASE("cdf draw: each sample takes the action its own uniform falls in") {
    const std::vector<double> pi = zipf_with_holes(5000);
    std::vector<std::pair<double, std::uint32_t>> scratch;
    for (const int K : {1, 2, 7, 64, 301}) {
        for (std::uint32_t batch = 0; batch < 20; ++batch) {
            const rl::core::StreamKey key{42, rl::core::Purpose::kTrainAction, 3, 17, batch};
            std::vector<std::uint32_t> actions(K);
            rl::engine::draw_batch_by_cdf(pi, key, K, actions.data(), scratch);
            for (int k = 0; k < K; ++k) {
                const rl::core::PhiloxCounter block =
                    rl::core::draw_pair(key, static_cast<std::uint32_t>(k / 2));
                const double u = k % 2 == 0 ? rl::core::uniform53(block.v[0], block.v[1])
                                            : rl::core::uniform53(block.v[2], block.v[3]);
                CHECK(actions[k] == by_search(pi, u));
                CHECK(pi[actions[k]] > 0.0);
            }
        }
    }
}

TEST_CASE("cdf draw: the draws follow pi (chi-square over 32 groups at the 1e-6 level)") {
    const std::size_t n = 2048;
    const std::vector<double> pi = zipf_with_holes(n);
    // Groups of contiguous actions of about equal probability, so each expects many draws.
    constexpr int kGroups = 32;
    std::vector<int> group(n);
    double running = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
        group[a] = std::min(kGroups - 1, static_cast<int>(running * kGroups));
        running += pi[a];
    }
    std::vector<double> expected(kGroups, 0.0);
    for (std::size_t a = 0; a < n; ++a)
        expected[group[a]] += pi[a];
    const int K = 64, batches = 20000;
    std::vector<double> seen(kGroups, 0.0);
    std::vector<std::uint32_t> actions(K);
    std::vector<std::pair<double, std::uint32_t>> scratch;
    for (int b = 0; b < batches; ++b) {
        const rl::core::StreamKey key{7, rl::core::Purpose::kTrainAction,
                                      static_cast<std::uint32_t>(b % 256),
                                      static_cast<std::uint32_t>(b / 256), 0};
        rl::engine::draw_batch_by_cdf(pi, key, K, actions.data(), scratch);
        for (const std::uint32_t a : actions)
            seen[group[a]] += 1.0;
    }
    const double draws = static_cast<double>(K) * batches;
    double chi2 = 0.0;
    int used = 0;
    for (int g = 0; g < kGroups; ++g) {
        if (expected[g] == 0.0) {
            CHECK(seen[g] == 0.0);
            continue;
        }
        const double e = expected[g] * draws;
        chi2 += (seen[g] - e) * (seen[g] - e) / e;
        ++used;
    }
    // Wilson-Hilferty: the chi-square quantile with dof degrees of freedom at z = 4.753, the
    // standard normal's upper 1e-6 point.
    const double dof = used - 1.0, z = 4.753;
    const double c = 2.0 / (9.0 * dof);
    const double critical = dof * std::pow(1.0 - c + z * std::sqrt(c), 3.0);
    MESSAGE("chi-square " << chi2 << " on " << dof << " degrees of freedom; critical " << critical);
    CHECK(chi2 < critical);
}

TEST_CASE("cdf draw: chosen only for batches far smaller than their vocabulary") {
    CHECK(rl::engine::cheaper_by_cdf(64, 50000));
    CHECK(rl::engine::cheaper_by_cdf(64, 1024));
    CHECK_FALSE(rl::engine::cheaper_by_cdf(65, 1024));
    CHECK_FALSE(rl::engine::cheaper_by_cdf(4, 1000));  // small vocabularies keep the table
    CHECK_FALSE(rl::engine::cheaper_by_cdf(4096, 50000));
}
