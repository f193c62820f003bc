// The This-step panel for episodes: every number it prints for run 0's first sequence is redone
// from the printed numbers alone, as a student checking the update by hand would.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "app/panels/episode_step_text.hpp"
#include "core/settings.hpp"
#include "io/presets.hpp"
#include "live/runner.hpp"
#include "test_live_support.hpp"

namespace {

using rl_test::edit;
using rl_test::snapshot;
using rl_test::take_steps;

// The panel prints about 4 significant digits: a printed x is within 5e-4 |x| of the value.
double printed_error(double x) {
    return 5e-4 * std::abs(x) + 1e-12;
}

double number(const std::string& text) {
    return std::stod(text);
}

rl::app::EpisodeStepText steps_then_text(rl::live::Runner& live, int steps) {
    take_steps(live, steps);
    return rl::app::episode_step_text(snapshot(live));
}

// Columns: t, token, r_t, credit, b_t, A_t, A: full R, A: G_t, A: G_t - V.
void check_rows(const rl::app::EpisodeStepText& t, bool reward_to_go) {
    REQUIRE(t.headers.size() == 9);
    REQUIRE(!t.rows.empty());
    double R = 0.0, R_error = 0.0;
    for (const auto& row : t.rows) {
        R += number(row[2]);
        R_error += printed_error(number(row[2]));
    }
    double rest = R, rest_error = R_error;  // the rewards from t on
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const std::vector<std::string>& row = t.rows[i];
        CAPTURE(i);
        CHECK(row[0] == std::to_string(i + 1));
        const double credit = number(row[3]), baseline = number(row[4]), A = number(row[5]);
        // A_t = credit - b_t.
        CHECK(std::abs(A - (credit - baseline)) <=
              printed_error(A) + printed_error(credit) + printed_error(baseline));
        // The credit is R on every token, or the rewards from this token on (gamma = 1 here).
        const double want = reward_to_go ? rest : R;
        CHECK(std::abs(credit - want) <=
              printed_error(credit) + (reward_to_go ? rest_error : R_error));
        // Full return without a baseline is R; rewards-to-go without one is the rest.
        CHECK(std::abs(number(row[6]) - R) <= printed_error(R) + R_error);
        CHECK(std::abs(number(row[7]) - rest) <= printed_error(rest) + rest_error);
        rest -= number(row[2]);
        rest_error += printed_error(number(row[2]));
    }
}

}  // namespace

TEST_CASE("episode step text: nothing before a step, then the first sequence token by token") {
    rl::live::Runner live(rl_test::small_episode_preset("one-bad-token"), rl_test::cpu_options());
    live.wait_idle();
    CHECK(rl::app::episode_step_text(snapshot(live)).headers.empty());
    const rl::app::EpisodeStepText t = steps_then_text(live, 3);
    CHECK(t.heading.find("step 3") != std::string::npos);
    CHECK(t.heading.find("8 sequences") != std::string::npos);
    // Every answer of one-bad-token is 20 tokens long.
    CHECK(t.rows.size() == 20);
    check_rows(t, false);
    // Full return, no baseline: the run's own weight is the full-return column.
    for (const auto& row : t.rows)
        CHECK(row[5] == row[6]);
}

TEST_CASE("episode step text: rewards-to-go less the prefix value is the last column") {
    rl::live::Runner live(rl_test::small_episode_preset("token-chain"), rl_test::cpu_options());
    edit(live, "credit", "reward_to_go");
    edit(live, "baseline", "prefix_value");
    const rl::app::EpisodeStepText t = steps_then_text(live, 2);
    check_rows(t, true);
    for (const auto& row : t.rows)
        CHECK(row[5] == row[8]);
    // A token's reward is in its own rewards-to-go: the first token's credit holds every reward.
    double R = 0.0;
    for (const auto& row : t.rows)
        R += number(row[2]);
    CHECK(R > 0.0);
}
