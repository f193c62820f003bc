// The cloud's piles carry the action that made them, so the plot can colour and name them the way
// the lesson texts speak of them ("only the trattoria's pile points uphill").

#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "io/presets.hpp"
#include "test_live_support.hpp"

TEST_CASE("cloud piles: the restaurants' three piles are named, and lie where the lesson says") {
    const rl::io::SettingsResult preset =
        rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "restaurants");
    REQUIRE(preset);
    REQUIRE(preset.settings->estimator.K == 1);
    rl::live::Runner live(*preset.settings, rl_test::cpu_options());
    rl_test::run_frames(live, 3);
    const rl::live::Results r = rl_test::snapshot(live);
    REQUIRE(r.cloud_valid);
    REQUIRE(r.piles.valid);
    REQUIRE(r.piles.piles.size() == 3);
    std::set<int> actions;
    for (const rl::live::CloudPile& p : r.piles.piles) {
        REQUIRE(p.action >= 0);
        REQUIRE(p.action < 3);
        actions.insert(p.action);
        const std::string& name = r.settings.actions[static_cast<std::size_t>(p.action)].name;
        INFO(name << " at " << p.x << ", " << p.y);
        if (name == "trattoria") CHECK(p.x > 0.0);                         // uphill
        if (name == "diner") CHECK(p.x < 0.0);                             // downhill
        if (name == "bistro") CHECK(std::abs(p.x) < 0.1 * std::abs(p.y));  // square across
    }
    CHECK(actions.size() == 3);
}

TEST_CASE("cloud piles: with more than one sample a step no pile is given an action") {
    const rl::io::SettingsResult preset =
        rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "restaurants");
    REQUIRE(preset);
    rl::core::Settings s = *preset.settings;
    s.estimator.K = 2;
    rl::live::Runner live(s, rl_test::cpu_options());
    rl_test::run_frames(live, 3);
    const rl::live::Results r = rl_test::snapshot(live);
    REQUIRE(r.cloud_valid);
    // Two samples give up to six distinct estimates, still piles, but none is one action's.
    if (r.piles.valid)
        for (const rl::live::CloudPile& p : r.piles.piles)
            CHECK(p.action == -1);
}
