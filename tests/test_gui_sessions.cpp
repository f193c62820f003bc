// Sessions and lessons through the real window under Xvfb: a lesson step applies its settings, a
// saved session reopens where it was, and closing the app (even by a signal) keeps the session
// for the next start.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "io/session_file.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"
#include "support/time_scale.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::TempDir;

const std::string kXvfb = "xvfb-run -a -s '-screen 0 1600x1000x24'";

rl::io::SessionFile read_document(const fs::path& file) {
    rl::io::SessionFileResult loaded = rl::io::read_session_file(file);
    INFO(loaded.error);
    REQUIRE(loaded);
    return *loaded.document;
}

}  // namespace

TEST_CASE("gui sessions: a lesson step applies its settings and is saved with the session") {
    TempDir dir("rl-lesson");
    const fs::path saved = dir.path / "lesson.json";
    // binary-verifier's 4th step: the batch-mean baseline at K = 2.
    const rl_test::AppRun run = rl_test::run_app(
        "--preset binary-verifier --engine cpu --lesson-step 4 --frames 6 --size 1280x800 "
        "--save-session '" +
            saved.string() + "'",
        dir, kXvfb);
    INFO("stdout: " << run.out << "\nstderr: " << run.err);
    REQUIRE(run.status == 0);
    const rl::io::SessionFile d = read_document(saved);
    CHECK(d.lesson_step == 3);
    CHECK(d.lesson.steps.size() >= 4);
    CHECK(d.settings.estimator.K == 2);
    CHECK(d.settings.estimator.baseline == rl::core::BaselineKind::kBatchMean);
    CHECK(d.settings.preset == "binary-verifier");
}

TEST_CASE("gui sessions: a lesson step past the end is a usage error") {
    TempDir dir("rl-lesson-args");
    const rl_test::AppRun run =
        rl_test::run_app("--preset yes-no-maybe --lesson-step 99 --frames 2", dir, kXvfb);
    CHECK(run.status == 2);
    CHECK(run.err.find("--lesson-step 99") != std::string::npos);
}

TEST_CASE("gui sessions: a saved session reopens at its step and goes on from there") {
    TempDir dir("rl-resume");
    const fs::path first = dir.path / "first.json", second = dir.path / "second.json";
    const rl_test::AppRun a = rl_test::run_app(
        "--preset yes-no-maybe --engine cpu --set lr=0.2 --frames 20 --size 1024x700 "
        "--save-session '" +
            first.string() + "'",
        dir, kXvfb);
    INFO("stdout: " << a.out << "\nstderr: " << a.err);
    REQUIRE(a.status == 0);
    const rl::io::SessionFile d1 = read_document(first);
    CHECK(d1.step >= 15);
    CHECK(d1.settings.estimator.lr == doctest::Approx(0.2));

    const rl_test::AppRun b = rl_test::run_app("--session '" + first.string() +
                                                   "' --engine cpu --frames 3 --size 1024x700 " +
                                                   "--save-session '" + second.string() + "'",
                                               dir, kXvfb);
    INFO("stdout: " << b.out << "\nstderr: " << b.err);
    REQUIRE(b.status == 0);
    const rl::io::SessionFile d2 = read_document(second);
    // Replayed to the saved step, then three more frames of training at one step a frame.
    CHECK(d2.step > d1.step);
    CHECK(d2.step <= d1.step + 3);
    CHECK(d2.settings.estimator.lr == doctest::Approx(0.2));
}

TEST_CASE("gui sessions: closing by a signal keeps the session for the next start") {
    TempDir dir("rl-last");
    const fs::path config = dir.path / "config";
    // The window runs interactively (no --frames) until SIGTERM, as at a logout.
    // The app's own exit code goes to a file: xvfb-run's clean-up can fail after it ended well.
    const fs::path code = dir.path / "exit-code.txt";
    const std::string command =
        "XDG_CONFIG_HOME='" + config.string() + "' " + kXvfb +
        " sh -c '\"$0\" --preset sigmoid-bandit --engine cpu --size 800x600 & pid=$!; sleep " +
        std::to_string(std::lround(4 * rl_test::time_scale())) +
        "; kill -TERM $pid; wait $pid; echo $? > \"$1\"' '" + RL_TEST_APP_PATH + "' '" +
        code.string() + "' >/dev/null 2>&1";
    std::system(command.c_str());
    CHECK(rl_test::recorded_exit(code) == 0);
    const fs::path last = config / "reinforce-lab" / "last-session.json";
    REQUIRE(fs::exists(last));
    const rl::io::SessionFile d = read_document(last);
    CHECK(d.settings.preset == "sigmoid-bandit");
    CHECK(d.step > 0);
    CHECK(d.lesson.steps.size() >= 3);
    // The window layout is saved too, through the same atomic writer, with no temporary left.
    const std::string layout = rl_test::read_text(config / "reinforce-lab" / "imgui.ini");
    CHECK(layout.find("[Window][") != std::string::npos);
    for (const fs::directory_entry& e : fs::directory_iterator(config / "reinforce-lab"))
        CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
}
