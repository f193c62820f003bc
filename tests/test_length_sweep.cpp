// SNR against length: the lengths swept, and the exact curves against closed forms for the token
// chain (T independent tokens, each good with probability 1/2 and paying 1). There, with K
// samples and score psi_t living in block t alone (docs/MATH.md 13), |grad J|^2 = T c / 4 and
// tr Cov of one sample is sum_t (E[W_t^2 |psi_t|^2] - c / 4) with |psi_t|^2 = c fixed, so
//   full return, no baseline:   SNR^2 = K / (T^2 + T - 1)
//   full return, b_t = E[R]:    SNR^2 = K / (T - 1)
//   rewards-to-go, none:        SNR^2 = K T / sum_{n=1..T} (n^2 + n - 1)
//   rewards-to-go, prefix V:    SNR^2 = 2 K / (T - 1)
// (W_t = R is Binomial(T, 1/2); a reward-to-go from t, Binomial(T - t + 1, 1/2); with a
// baseline, its variance alone). T = 1 with an oracle baseline has no noise: no point there.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/choices.hpp"
#include "core/settings.hpp"
#include "live/length_sweep.hpp"
#include "test_live_support.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::Credit;

double closed_form_snr(Credit credit, BaselineKind baseline, int T, int K) {
    const double t = T, k = K;
    if (credit == Credit::kFullReturn && baseline == BaselineKind::kNone)
        return std::sqrt(k / (t * t + t - 1.0));
    if (credit == Credit::kFullReturn && baseline == BaselineKind::kExpected)
        return std::sqrt(k / (t - 1.0));
    if (credit == Credit::kRewardToGo && baseline == BaselineKind::kNone) {
        double sum = 0.0;
        for (int n = 1; n <= T; ++n)
            sum += static_cast<double>(n) * n + n - 1.0;
        return std::sqrt(k * t / sum);
    }
    if (credit == Credit::kRewardToGo &&
        (baseline == BaselineKind::kPrefixValue || baseline == BaselineKind::kExpected))
        return std::sqrt(2.0 * k / (t - 1.0));
    return NAN;
}

}  // namespace

TEST_CASE("length sweep: the lengths reach four times the current one and hold it") {
    CHECK(rl::live::sweep_lengths(8) == std::vector<int>{1, 2, 3, 4, 6, 8, 12, 16, 24, 32});
    const std::vector<int> twenty = rl::live::sweep_lengths(20);
    CHECK(std::find(twenty.begin(), twenty.end(), 20) != twenty.end());
    CHECK(twenty.back() == 80);
    CHECK(rl::live::sweep_lengths(1).back() == 16);
    CHECK(rl::live::sweep_lengths(rl::core::limits::kMaxLength).back() ==
          rl::core::limits::kMaxLength);
    CHECK(std::is_sorted(twenty.begin(), twenty.end()));
}

TEST_CASE("length sweep: the token chain's exact curves are its closed forms") {
    rl::core::Settings s = rl_test::small_episode_preset("token-chain");
    const rl::live::LengthSweep sweep = rl::live::length_sweep(s);
    REQUIRE(sweep.valid);
    CHECK(sweep.K == 4);
    CHECK(sweep.current_T == 8);
    int checked = 0;
    for (const rl::live::LengthCurve& c : sweep.curves) {
        const double first = closed_form_snr(c.credit, c.baseline, 2, sweep.K);
        if (std::isnan(first)) continue;
        INFO(rl::core::to_string(c.credit) << ", " << rl::core::to_string(c.baseline));
        CHECK(c.reason.empty());
        // Every swept length but T = 1 where an oracle baseline leaves no noise.
        const bool oracle = c.baseline != BaselineKind::kNone;
        CHECK(c.T.size() == rl::live::sweep_lengths(8).size() - (oracle ? 1 : 0));
        for (std::size_t i = 0; i < c.T.size(); ++i) {
            const int T = static_cast<int>(c.T[i]);
            CAPTURE(T);
            CHECK(c.snr[i] ==
                  doctest::Approx(closed_form_snr(c.credit, c.baseline, T, sweep.K)).epsilon(1e-9));
            ++checked;
        }
    }
    CHECK(checked >= 30);
    // The run's own estimator (full return, none) is measured at every length up to the current
    // one, where the signal stands far above the noise of the batches' mean (SNR^2 >= 0.056
    // against 1/M <= 0.001); beyond, a point may drop out where no signal is left above it.
    const std::vector<int> lengths = rl::live::sweep_lengths(8);
    for (const int T : lengths) {
        if (T > 8) continue;
        CAPTURE(T);
        CHECK(std::find(sweep.measured_T.begin(), sweep.measured_T.end(), T) !=
              sweep.measured_T.end());
    }
    for (std::size_t i = 0; i < sweep.measured_snr.size(); ++i) {
        CHECK(sweep.measured_snr[i] > 0.0);
        CHECK(sweep.batches[i] >= 64);
    }
}

TEST_CASE("length sweep: a table has no length to sweep, and an own baseline gets its curve") {
    CHECK_FALSE(rl::live::length_sweep(rl_test::small_episode_preset("short-corridor")).valid);
    rl::core::Settings s = rl_test::small_episode_preset("token-chain");
    REQUIRE(rl::core::set_field(s, "baseline", "rloo").empty());
    const rl::live::LengthSweep sweep = rl::live::length_sweep(s);
    const auto own = std::find_if(sweep.curves.begin(), sweep.curves.end(), [](const auto& c) {
        return c.credit == Credit::kFullReturn && c.baseline == BaselineKind::kRloo;
    });
    REQUIRE(own != sweep.curves.end());
    CHECK(!own->T.empty());
}
