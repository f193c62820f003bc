// The lesson presets: every one loads and validates, carries its worked example's numbers, and the
// KL-anchor lesson shows what it promises (collapse without the anchor, none with it).

#include <doctest/doctest.h>

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/experiment.hpp"
#include "core/policy.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "io/presets.hpp"
#include "support/temp_dir.hpp"

namespace {

const rl::io::AssetDir kAssets{RL_TEST_ASSET_DIR, "the test build"};

const std::vector<std::string> kPresetNames = {
    "binary-verifier", "kl-anchor",  "restaurants", "restaurants-shifted",
    "sigmoid-bandit",  "testbed-10", "vocab-50k",   "yes-no-maybe"};

rl::core::Settings preset(const std::string& name) {
    const rl::io::SettingsResult r = rl::io::load_preset(kAssets, name);
    REQUIRE_MESSAGE(r, r.error);
    return *r.settings;
}

std::vector<double> probs(const rl::core::Settings& s) {
    return rl::core::softmax(s.init_logits);
}

std::vector<double> fixed_values(const rl::core::Settings& s) {
    std::vector<double> v;
    for (const rl::core::ActionSpec& a : s.actions) {
        REQUIRE(a.reward.kind == rl::core::RewardKind::kFixed);
        v.push_back(a.reward.value);
    }
    return v;
}

void check_probs(const rl::core::Settings& s, const std::vector<double>& want) {
    const std::vector<double> p = probs(s);
    REQUIRE(p.size() == want.size());
    for (std::size_t i = 0; i < p.size(); ++i)
        CHECK(p[i] == doctest::Approx(want[i]).epsilon(1e-12));
}

std::optional<std::size_t> action_index(const rl::core::Settings& s, const std::string& name) {
    for (std::size_t i = 0; i < s.actions.size(); ++i)
        if (s.actions[i].name == name) return i;
    return std::nullopt;
}

// Trains the session on the CPU engine and returns the final median probability of one action.
double final_median_prob(const rl::core::Settings& s, std::size_t action) {
    const rl::core::Experiment e = rl::core::make_experiment(s);
    const auto tracked = std::find(e.tracked_actions.begin(), e.tracked_actions.end(), action);
    REQUIRE(tracked != e.tracked_actions.end());
    const auto engine = rl::engine::make_cpu_engine(0);
    engine->configure(e);
    const rl::engine::TrainingAdvance advance = engine->advance(s.steps);
    REQUIRE_FALSE(advance.diverged);
    REQUIRE(static_cast<int>(advance.steps.size()) == s.steps);
    return advance.steps.back().action_probs[tracked - e.tracked_actions.begin()].p50;
}

}  // namespace

TEST_CASE("presets: the asset folder holds exactly the eight lessons") {
    std::vector<std::string> names;
    for (const rl::io::PresetFile& p : rl::io::list_presets(kAssets))
        names.push_back(p.name);
    CHECK(names == kPresetNames);
}

TEST_CASE("presets: every preset loads, validates and explains itself") {
    for (const std::string& name : kPresetNames) {
        CAPTURE(name);
        const rl::core::Settings s = preset(name);
        CHECK(rl::core::validate(s).empty());
        CHECK(s.preset == name);
        CHECK_FALSE(s.title.empty());
        CHECK(s.description.size() > 100);
        if (s.vocabulary) {
            // At 50,000 actions every run and batch costs O(N): fewer of both keep it live.
            CHECK(s.runs >= 16);
            CHECK(s.M >= 256);
        } else {
            CHECK(s.runs == 256);
            CHECK(s.M == 4096);
        }
        CHECK(s.steps >= 200);
    }
}

TEST_CASE("presets: yes-no-maybe is the yes/no/maybe worked example") {
    const rl::core::Settings s = preset("yes-no-maybe");
    CHECK(fixed_values(s) == std::vector<double>{8, 3, 5});
    CHECK(s.actions[0].name == "yes");
    CHECK(s.actions[1].name == "no");
    CHECK(s.actions[2].name == "maybe");
    check_probs(s, {0.3, 0.5, 0.2});
    CHECK(s.parameterization == rl::core::Parameterization::kFree);
    CHECK(s.estimator.K == 1);
    CHECK(s.estimator.baseline == rl::core::BaselineKind::kNone);
    CHECK(s.estimator.lr == 0.1);
}

TEST_CASE("presets: the restaurants, plain and shifted") {
    const rl::core::Settings plain = preset("restaurants");
    const rl::core::Settings shifted = preset("restaurants-shifted");
    CHECK(fixed_values(plain) == std::vector<double>{6, 7, 8});
    CHECK(fixed_values(shifted) == std::vector<double>{-2, 0, 3});
    for (const rl::core::Settings* s : {&plain, &shifted}) {
        check_probs(*s, {1.0 / 3, 1.0 / 3, 1.0 / 3});
        CHECK(s->estimator.baseline == rl::core::BaselineKind::kNone);
        CHECK(s->estimator.K == 1);
        CHECK(s->estimator.lr == 0.05);
    }
    // "Otherwise the same": only the ratings, title and description differ.
    CHECK(plain.steps == shifted.steps);
    CHECK(plain.seed == shifted.seed);
}

TEST_CASE("presets: sigmoid-bandit is the two-action sigmoid bandit") {
    const rl::core::Settings s = preset("sigmoid-bandit");
    CHECK(s.parameterization == rl::core::Parameterization::kPinnedLast);
    CHECK(s.init_logits == std::vector<double>{0.0, 0.0});  // theta = 0
    CHECK(fixed_values(s) == std::vector<double>{1, 0});
    CHECK(s.actions[0].name == "action 1");
    CHECK(s.estimator.lr == 1.0);
    CHECK(s.estimator.K == 1);
    CHECK(s.estimator.baseline == rl::core::BaselineKind::kNone);
}

TEST_CASE("presets: binary-verifier starts at 50% expected success, K 8") {
    const rl::core::Settings s = preset("binary-verifier");
    const std::vector<double> p = probs(s);
    double success = 0.0;
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        const rl::core::RewardModel& r = s.actions[i].reward;
        REQUIRE(r.kind == rl::core::RewardKind::kBernoulli);
        CHECK(r.lo == 0.0);
        CHECK(r.hi == 1.0);
        success += p[i] * r.expected();
    }
    CHECK(success == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(s.estimator.K == 8);
    CHECK(s.estimator.baseline == rl::core::BaselineKind::kNone);
}

TEST_CASE("presets: testbed-10 draws each run's arm means around 4") {
    const rl::core::Settings s = preset("testbed-10");
    REQUIRE(s.actions.size() == 10);
    for (const rl::core::ActionSpec& a : s.actions) {
        CHECK(a.reward.kind == rl::core::RewardKind::kGaussian);
        CHECK(a.reward.mean == 4.0);
        CHECK(a.reward.sd == 1.0);
    }
    CHECK(s.arm_mean_sd == 1.0);
    check_probs(s, std::vector<double>(10, 0.1));
    CHECK(s.estimator.baseline == rl::core::BaselineKind::kRunning);
    CHECK(s.estimator.running_mode == rl::core::RunningMode::kAverage);
    CHECK(s.estimator.lr == 0.1);
    CHECK(s.estimator.K == 1);
    CHECK(s.steps == 1000);
}

TEST_CASE("presets: kl-anchor's lucky token pays most on average but only sometimes") {
    const rl::core::Settings s = preset("kl-anchor");
    const std::optional<std::size_t> lucky = action_index(s, "7");
    REQUIRE(lucky);
    const rl::core::RewardModel& r = s.actions[*lucky].reward;
    CHECK(r.kind == rl::core::RewardKind::kBernoulli);
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        if (i != *lucky) CHECK(s.actions[i].reward.expected() < r.expected());
    }
    // The reference is the initial (SFT) policy, and the lucky token is its least likely one.
    CHECK(s.reference_logits.empty());
    const std::vector<double> p = probs(s);
    CHECK(*std::min_element(p.begin(), p.end()) == p[*lucky]);
    CHECK(s.estimator.kl_beta > 0.0);
    CHECK(s.estimator.kl_mode == rl::core::KlMode::kReward);
}

TEST_CASE("presets: kl-anchor collapses without the anchor and not with it") {
    rl::core::Settings s = preset("kl-anchor");
    const std::size_t lucky = *action_index(s, "7");
    REQUIRE(rl::core::set_field(s, "runs", "32").empty());

    rl::core::Settings unanchored = s;
    REQUIRE(rl::core::set_field(unanchored, "kl_beta", "0").empty());
    CHECK(final_median_prob(unanchored, lucky) > 0.9);

    const double anchored = final_median_prob(s, lucky);
    CHECK(anchored < 0.8);
    // The anchor tempers the pull without cancelling it: the lucky token still gains.
    CHECK(anchored > probs(s)[lucky]);
}

TEST_CASE("presets: an unknown name lists the available ones") {
    const rl::io::SettingsResult r = rl::io::load_preset(kAssets, "no-such-lesson");
    CHECK_FALSE(r);
    CHECK(r.error.find("'no-such-lesson' not found") != std::string::npos);
    for (const std::string& name : kPresetNames)
        CHECK(r.error.find(name) != std::string::npos);
    // A path is not a name: nothing outside the presets folder can be loaded through it.
    CHECK_FALSE(rl::io::load_preset(kAssets, "../presets/yes-no-maybe"));
}

TEST_CASE("presets: RL_ASSET_DIR overrides where assets are looked for") {
    const char* before = std::getenv("RL_ASSET_DIR");
    const std::optional<std::string> saved =
        before ? std::optional<std::string>(before) : std::nullopt;
    ::setenv("RL_ASSET_DIR", "/somewhere/else", 1);
    const rl::io::AssetDir found = rl::io::find_asset_dir();
    if (saved) {
        ::setenv("RL_ASSET_DIR", saved->c_str(), 1);
    } else {
        ::unsetenv("RL_ASSET_DIR");
    }
    CHECK(found.path == "/somewhere/else");
    CHECK(found.origin == "RL_ASSET_DIR");
    if (!saved) CHECK(rl::io::find_asset_dir().origin != "RL_ASSET_DIR");
}

namespace {

// RL_ASSET_DIR unset for a scope, as on a machine that never set it; restored after.
class WithoutAssetDirVariable {
  public:
    WithoutAssetDirVariable() {
        if (const char* before = std::getenv("RL_ASSET_DIR")) m_saved = before;
        ::unsetenv("RL_ASSET_DIR");
    }
    ~WithoutAssetDirVariable() {
        if (m_saved) ::setenv("RL_ASSET_DIR", m_saved->c_str(), 1);
    }
    WithoutAssetDirVariable(const WithoutAssetDirVariable&) = delete;
    WithoutAssetDirVariable& operator=(const WithoutAssetDirVariable&) = delete;

  private:
    std::optional<std::string> m_saved;
};

}  // namespace

TEST_CASE("presets: a program finds its build tree's assets, else its installed ones") {
    namespace fs = std::filesystem;
    const WithoutAssetDirVariable unset;
    const rl_test::TempDir root("rl-asset-lookup");
    // Only the program's path is read, so the folders stand in for a build tree or a prefix.
    const fs::path program = root.path / "bin" / "reinforce-lab";
    fs::create_directories(program.parent_path());

    const rl::io::AssetDir nothing = rl::io::find_asset_dir(program);
    CHECK(nothing.origin == "the build's source tree");
    CHECK(nothing.path == fs::path(RL_TEST_ASSET_DIR));
    CHECK(rl::io::find_asset_dir(fs::path()).origin == "the build's source tree");

    const fs::path installed = root.path / "share" / "reinforce-lab";
    fs::create_directories(installed);
    fs::copy(fs::path(RL_TEST_ASSET_DIR) / "presets", installed / "presets",
             fs::copy_options::recursive);
    const rl::io::AssetDir found = rl::io::find_asset_dir(program);
    CHECK(found.origin == "installed beside the program");
    CHECK(found.path == installed);
    std::vector<std::string> names;
    for (const rl::io::PresetFile& p : rl::io::list_presets(found))
        names.push_back(p.name);
    CHECK(names == kPresetNames);
    const rl::io::SettingsResult missing = rl::io::load_preset(found, "no-such-lesson");
    CHECK(missing.error.find((installed / "presets").string()) != std::string::npos);
    CHECK(missing.error.find("assets found via installed beside the program") != std::string::npos);

    // A build tree's own assets win over an install under the same root.
    fs::create_directories(root.path / "assets");
    const rl::io::AssetDir beside = rl::io::find_asset_dir(program);
    CHECK(beside.origin == "next to the program");
    CHECK(beside.path == root.path / "assets");
}
