// The actions-table edits: the policies stay normalised, ratios are kept, and a refused edit
// leaves the session as it was.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/experiment.hpp"
#include "core/settings_edit.hpp"
#include "io/presets.hpp"

namespace {

rl::core::Settings yes_no_maybe() {
    return *rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "yes-no-maybe").settings;
}

double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

TEST_CASE("session edit: setting one initial probability rescales the others") {
    rl::core::Settings s = yes_no_maybe();  // 0.3 / 0.5 / 0.2
    REQUIRE(rl::core::set_initial_probability(s, 0, 0.6) == "");
    const std::vector<double> p = rl::core::initial_probabilities(s);
    CHECK(p[0] == doctest::Approx(0.6).epsilon(1e-12));
    // no : maybe stays 5 : 2, filling the remaining 0.4.
    CHECK(p[1] == doctest::Approx(0.4 * 5.0 / 7.0).epsilon(1e-12));
    CHECK(p[2] == doctest::Approx(0.4 * 2.0 / 7.0).epsilon(1e-12));
    CHECK(sum(p) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("session edit: out-of-range probabilities are refused and change nothing") {
    rl::core::Settings s = yes_no_maybe();
    const std::vector<double> before = s.init_logits;
    CHECK(rl::core::set_initial_probability(s, 1, 1.0).find("between 0 and 1") !=
          std::string::npos);
    CHECK(rl::core::set_initial_probability(s, 1, 0.0) != "");
    CHECK(rl::core::set_initial_probability(s, 1, std::nan("")) != "");
    CHECK(rl::core::set_initial_probability(s, 7, 0.5).find("no action 7") != std::string::npos);
    CHECK(s.init_logits == before);
}

TEST_CASE("session edit: the reference policy starts from the initial one") {
    rl::core::Settings s = yes_no_maybe();
    REQUIRE(s.reference_logits.empty());
    REQUIRE(rl::core::set_reference_probability(s, 2, 0.5) == "");
    const std::vector<double> ref = rl::core::reference_probabilities(s);
    CHECK(ref[2] == doctest::Approx(0.5));
    CHECK(ref[0] == doctest::Approx(0.5 * 0.3 / 0.8));
    // The initial policy is untouched.
    CHECK(rl::core::initial_probabilities(s)[2] == doctest::Approx(0.2));
}

TEST_CASE("session edit: adding and removing actions keeps both policies consistent") {
    rl::core::Settings s = yes_no_maybe();
    REQUIRE(rl::core::set_reference_probability(s, 0, 0.5) == "");
    REQUIRE(rl::core::add_action(s) == "");
    REQUIRE(s.actions.size() == 4);
    CHECK(s.actions[3].name == "action 4");
    CHECK(s.init_logits.size() == 4);
    CHECK(s.reference_logits.size() == 4);
    std::vector<double> p = rl::core::initial_probabilities(s);
    CHECK(p[3] == doctest::Approx(0.25));
    CHECK(p[0] == doctest::Approx(0.3 * 0.75));
    CHECK(rl::core::validate(s) == "");

    REQUIRE(rl::core::remove_action(s, 1) == "");  // "no"
    REQUIRE(s.actions.size() == 3);
    CHECK(s.actions[1].name == "maybe");
    p = rl::core::initial_probabilities(s);
    CHECK(sum(p) == doctest::Approx(1.0));
    CHECK(p[0] / p[1] == doctest::Approx(0.3 / 0.2));
    CHECK(rl::core::reference_probabilities(s).size() == 3);

    REQUIRE(rl::core::remove_action(s, 2) == "");
    CHECK(rl::core::remove_action(s, 0).find("at least 2") != std::string::npos);
    CHECK(s.actions.size() == 2);
}

TEST_CASE("session edit: switching to the pinned parameterisation keeps the policy") {
    rl::core::Settings s = yes_no_maybe();
    rl::core::set_parameterization(s, rl::core::Parameterization::kPinnedLast);
    CHECK(s.init_logits.back() == 0.0);
    const std::vector<double> p = rl::core::initial_probabilities(s);
    CHECK(p[0] == doctest::Approx(0.3));
    CHECK(p[1] == doctest::Approx(0.5));
    CHECK(rl::core::validate(s) == "");
}

TEST_CASE("experiment: the best expected reward is the best arm, averaged over per-run arms") {
    const rl::core::Experiment fixed = rl::core::make_experiment(yes_no_maybe());
    CHECK(rl::core::best_expected_reward(fixed) == 8.0);

    rl::core::Settings testbed =
        *rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "testbed-10").settings;
    testbed.runs = 3;
    const rl::core::Experiment e = rl::core::make_experiment(testbed);
    REQUIRE(rl::core::has_per_run_rewards(e));
    double sum = 0.0;
    for (std::uint32_t run = 0; run < 3; ++run) {
        const std::vector<double> rbar = rl::core::make_run_problem(e, run).rbar;
        sum += *std::max_element(rbar.begin(), rbar.end());
    }
    CHECK(rl::core::best_expected_reward(e) == doctest::Approx(sum / 3.0).epsilon(1e-15));
}
