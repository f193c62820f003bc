// The control layer (src/control): what the window, the soak and these tests all drive. Compare
// mode's B must follow every shared edit, the transport must move both runners, a lesson step must
// reach both, and a load must keep everything when it is refused.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "control/lab.hpp"
#include "core/settings.hpp"
#include "io/presets.hpp"
#include "io/session_file.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

using rl::control::Lab;

rl::core::Settings small() {
    return rl_test::small_yes_no_maybe(16, 64);
}

void frames(Lab& lab, int count) {
    for (int i = 0; i < count; ++i)
        lab.transport().tick(true);
}

// Both runners' latest results, after every command so far has run.
struct Both {
    std::shared_ptr<const rl::live::Results> a, b;
};

Both settle(Lab& lab) {
    lab.transport().wait_idle();
    return {lab.results_a(), lab.results_b()};
}

bool same_problem(const rl::core::Settings& a, const rl::core::Settings& b) {
    if (a.actions.size() != b.actions.size()) return false;
    for (std::size_t i = 0; i < a.actions.size(); ++i)
        if (a.actions[i].name != b.actions[i].name ||
            a.actions[i].reward.expected() != b.actions[i].reward.expected())
            return false;
    return a.init_logits == b.init_logits && a.runs == b.runs && a.steps == b.steps && a.M == b.M &&
           a.seed == b.seed;
}

}  // namespace

TEST_CASE("control: compare mode's B follows every edit A takes, keeping its own estimator") {
    Lab lab(small(), rl_test::cpu_options());
    REQUIRE(lab.compare_on_default() == "");
    REQUIRE(lab.comparing());
    const rl::core::EstimatorSettings b_estimator = lab.settings_b().estimator;
    CHECK(b_estimator.baseline == rl::core::BaselineKind::kRloo);

    rl::core::Settings edit = lab.settings();
    edit.actions[0].reward.value = 11.0;  // the problem: shared
    edit.M = 128;                         // the cloud: shared
    edit.estimator.lr = 0.5;              // A's estimator: not B's
    REQUIRE(lab.apply(edit) == "");
    const Both both = settle(lab);
    REQUIRE(both.b);
    CHECK(same_problem(both.a->settings, both.b->settings));
    CHECK(both.b->settings.actions[0].reward.value == 11.0);
    CHECK(both.b->settings.M == 128);
    CHECK(both.a->settings.estimator.lr == 0.5);
    CHECK(both.b->settings.estimator.lr == b_estimator.lr);
    CHECK(both.b->settings.estimator.baseline == rl::core::BaselineKind::kRloo);
    // And the cloud of each was drawn again at the new M.
    CHECK(both.a->cloud.x.size() == 128);
    CHECK(both.b->cloud.x.size() == 128);

    // B's own edits leave A alone.
    rl::core::EstimatorSettings b_edit = b_estimator;
    b_edit.K = 6;
    REQUIRE(lab.apply_b(b_edit) == "");
    const Both after = settle(lab);
    CHECK(after.b->settings.estimator.K == 6);
    CHECK(after.a->settings.estimator.K == edit.estimator.K);
}

TEST_CASE("control: the transport plays, steps, resets and paces both runners together") {
    Lab lab(small(), rl_test::cpu_options());
    REQUIRE(lab.compare_on_default() == "");
    rl::control::Transport& t = lab.transport();
    t.set_pace({3, 1.0});
    CHECK(lab.pair().a().pace().steps_per_frame == 3);
    CHECK(lab.pair().b()->pace().steps_per_frame == 3);
    t.set_playing(true);
    frames(lab, 4);
    Both both = settle(lab);
    CHECK(both.a->steps_done == 12);
    CHECK(both.b->steps_done == 12);
    t.step();  // pauses, then one step
    frames(lab, 3);
    both = settle(lab);
    CHECK_FALSE(t.playing());
    CHECK(both.a->steps_done == 13);
    CHECK(both.b->steps_done == 13);
    t.reset();
    both = settle(lab);
    CHECK(both.a->steps_done == 0);
    CHECK(both.b->steps_done == 0);
}

TEST_CASE("control: the cloud is drawn again when M changes, while paused") {
    Lab lab(small(), rl_test::cpu_options());
    CHECK(settle(lab).a->cloud.x.size() == 64);
    for (const int M : {512, 16}) {
        rl::core::Settings edit = lab.settings();
        edit.M = M;
        REQUIRE(lab.apply(edit) == "");
        const Both both = settle(lab);
        CHECK(both.a->settings.M == M);
        CHECK(both.a->cloud.x.size() == static_cast<std::size_t>(M));
        CHECK(both.a->cloud_valid);
    }
}

TEST_CASE("control: a lesson step reaches A and B; Back restores what the step showed") {
    Lab lab(small(), rl_test::cpu_options());
    REQUIRE(lab.load_preset("binary-verifier") == "");
    REQUIRE(lab.lesson().step_count() >= 4);
    REQUIRE(lab.compare_on_default() == "");
    const rl::core::EstimatorSettings b_estimator = lab.settings_b().estimator;
    // binary-verifier's 4th step: the batch-mean baseline at K = 2.
    REQUIRE(lab.show_lesson_step(3) == "");
    Both both = settle(lab);
    CHECK(lab.lesson().shown() == 3);
    CHECK(both.a->settings.estimator.baseline == rl::core::BaselineKind::kBatchMean);
    CHECK(both.a->settings.estimator.K == 2);
    CHECK(same_problem(both.a->settings, both.b->settings));
    CHECK(both.b->settings.estimator.baseline == b_estimator.baseline);
    REQUIRE(lab.show_lesson_step(0) == "");
    both = settle(lab);
    const rl::io::SessionFileResult preset =
        rl::io::load_preset_file(rl::io::find_asset_dir(), "binary-verifier");
    REQUIRE(preset);
    rl::core::Settings first;
    REQUIRE(rl::io::lesson_settings(preset.document->settings, preset.document->lesson, 0, first) ==
            "");
    CHECK(both.a->settings.estimator.baseline == first.estimator.baseline);
    CHECK(both.a->settings.estimator.K == first.estimator.K);
    // Past the end is clamped to the last step.
    REQUIRE(lab.show_lesson_step(99) == "");
    CHECK(lab.lesson().shown() == lab.lesson().step_count() - 1);
}

TEST_CASE("control: a refused load changes nothing; an accepted one ends compare mode") {
    Lab lab(small(), rl_test::cpu_options());
    REQUIRE(lab.compare_on_default() == "");
    rl::io::SessionFile broken;
    broken.settings = small();
    broken.settings.runs = 0;
    const std::string error = lab.load(broken, broken.settings, "broken.json");
    CHECK(error.rfind("broken.json: runs:", 0) == 0);
    CHECK(lab.comparing());
    CHECK(lab.settings().runs == 16);

    rl::io::SessionFile good;
    good.settings = small();
    good.settings.runs = 8;
    REQUIRE(lab.load(good, good.settings, "good.json") == "");
    CHECK_FALSE(lab.comparing());
    CHECK(settle(lab).a->settings.runs == 8);
}

TEST_CASE("control: a saved session reopens at its step with its lesson step") {
    rl_test::TempDir dir;
    const std::filesystem::path file = dir.path / "nested" / "class.json";
    rl::io::SessionFile saved;
    std::vector<double> saved_probs;
    {
        Lab lab(small(), rl_test::cpu_options());
        REQUIRE(lab.load_preset("sigmoid-bandit") == "");
        REQUIRE(lab.show_lesson_step(1) == "");
        lab.transport().set_playing(true);
        frames(lab, 30);  // three steps at the lesson pace
        lab.transport().set_playing(false);
        saved_probs = settle(lab).a->run0_probs;
        saved = lab.session_file();
        REQUIRE(lab.save(file) == "");  // makes the folder
    }
    CHECK(saved.step > 0);
    CHECK(saved.lesson_step == 1);
    const rl::io::SessionFileResult read = rl::io::read_session_file(file);
    REQUIRE(read);
    Lab lab(small(), rl_test::cpu_options());
    REQUIRE(lab.load(*read.document, rl::control::lesson_base_for(*read.document), file.string()) ==
            "");
    const Both both = settle(lab);
    CHECK(both.a->steps_done == saved.step);
    CHECK(lab.lesson().shown() == 1);
    CHECK(lab.settings().preset == "sigmoid-bandit");
    // The replay is the very run that was saved.
    CHECK(both.a->run0_probs == saved_probs);
}
