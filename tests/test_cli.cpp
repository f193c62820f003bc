// The command line, run as a real process: exit codes, one-line errors on stderr, and the CSV
// files of a small headless run. Every run here is small (few runs, steps and batches).

#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "engine/forwarding_engine.hpp"
#include "io/headless.hpp"
#include "io/presets.hpp"
#include "io/settings_file.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using rl_test::TempDir;

using rl_test::lines_of;
using rl_test::read_text;
using Run = rl_test::AppRun;

std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        cells.push_back(line.substr(start, comma - start));
        if (comma == std::string::npos) return cells;
        start = comma + 1;
    }
}

// Every run here is headless or has no display, so none opens a window.
Run run_cli_app(const std::string& args, const TempDir& dir) {
    return rl_test::run_app(args, dir, rl_test::kNoDisplay);
}

const std::string kSmall = "--set steps=20 --set runs=16 --set M=256 --engine cpu --threads 2";

void check_usage_error(const Run& r, const std::string& mention) {
    CHECK(r.status == 2);
    CHECK_MESSAGE(lines_of(r.err).size() == 1, r.err);
    CHECK_MESSAGE(r.err.rfind("reinforce-lab: ", 0) == 0, r.err);
    CHECK_MESSAGE(r.err.find(mention) != std::string::npos, r.err);
}

// A real engine that reports a divergence once it reaches a given step, as a diverging run would.
class DivergingEngine final : public rl::engine::ForwardingEngine {
  public:
    DivergingEngine(std::unique_ptr<rl::engine::Engine> inner, int diverge_at)
        : ForwardingEngine(std::move(inner)), m_diverge_at(diverge_at) {}
    rl::engine::TrainingAdvance advance(int steps) override {
        const int left = m_diverge_at - inner().steps_done();
        rl::engine::TrainingAdvance a = inner().advance(std::min(steps, left));
        if (inner().steps_done() == m_diverge_at) {
            a.diverged = true;
            a.divergence = "run 3 diverged at step " + std::to_string(m_diverge_at) + ": test";
        }
        return a;
    }

  private:
    int m_diverge_at;
};

}  // namespace

TEST_CASE("cli: a small headless run writes both CSV files") {
    TempDir dir;
    const fs::path out = dir.path / "new" / "folder";  // created by the run
    const Run r = run_cli_app(
        "--headless --preset yes-no-maybe " + kSmall + " --out '" + out.string() + "'", dir);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    CHECK(r.out.find("yes-no-maybe") != std::string::npos);
    CHECK(r.out.find("best possible 8") != std::string::npos);
    CHECK(r.out.find("SNR at K 1, baseline none: exact ") != std::string::npos);

    const std::vector<std::string> summary = lines_of(read_text(out / "summary.csv"));
    REQUIRE(summary.size() == 21);
    CHECK(summary[0] ==
          "step,J_mean,J_p10,J_p50,J_p90,best_prob_share,opt_action_share,"
          "p_yes_mean,p_yes_p10,p_yes_p50,p_yes_p90,p_no_mean,p_no_p10,p_no_p50,p_no_p90,"
          "p_maybe_mean,p_maybe_p10,p_maybe_p50,p_maybe_p90");
    for (std::size_t t = 1; t <= 20; ++t) {
        const std::vector<std::string> cells = cells_of(summary[t]);
        REQUIRE(cells.size() == 19);
        CHECK(cells[0] == std::to_string(t));
    }
    // Step 1 describes the initial policy, identical in every run: J = 4.9, p(yes) = 0.3.
    const std::vector<std::string> first = cells_of(summary[1]);
    CHECK(std::stod(first[1]) == doctest::Approx(4.9).epsilon(1e-9));
    CHECK(std::stod(first[3]) == doctest::Approx(4.9).epsilon(1e-9));
    CHECK(std::stod(first[9]) == doctest::Approx(0.3).epsilon(1e-9));

    const std::vector<std::string> snr = lines_of(read_text(out / "snr.csv"));
    REQUIRE(snr.size() == 1 + 11 * 8);
    CHECK(snr[0] ==
          "K,baseline,snr_exact,snr_measured,trcov_exact,trcov_measured,uphill_measured,"
          "cos_measured,snr_note");
    int rows_checked = 0;
    for (std::size_t i = 1; i < snr.size(); ++i) {
        const std::vector<std::string> cells = cells_of(snr[i]);
        REQUIRE(cells.size() == 9);
        const std::string& baseline = cells[1];
        const bool no_estimator = baseline == "rloo" && cells[0] == "1";
        const bool monte_carlo_only = baseline == "running" || baseline == "group_norm";
        // With one sample the batch's own mean (or its standardisation) leaves every estimate
        // at 0: the SNR is 0/0, written as absent with the reason.
        const bool zero_over_zero =
            cells[0] == "1" && (baseline == "batch_mean" || baseline == "group_norm");
        CHECK(cells[2].empty() == (no_estimator || monte_carlo_only || zero_over_zero));
        CHECK(cells[4].empty() == (no_estimator || monte_carlo_only));
        CHECK(cells[3].empty() == (no_estimator || zero_over_zero));
        CHECK(cells[7].empty() == no_estimator);
        CHECK(cells[8].empty() == !zero_over_zero);
        if (zero_over_zero) CHECK(cells[8].find("every estimate is 0") != std::string::npos);
        if (baseline == "none" && cells[0] == "1") {
            // E g = pi (r - J) = (0.93, -0.95, 0.02); |E g| / sqrt(tr Cov_1), docs/MATH.md.
            CHECK(std::stod(cells[2]) > 0.0);
            CHECK(std::stod(cells[3]) == doctest::Approx(std::stod(cells[2])).epsilon(0.25));
            ++rows_checked;
        }
    }
    CHECK(rows_checked == 1);
    // Nothing half-written is left behind.
    CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator{}) == 2);
}

TEST_CASE("cli: a session file runs like a preset, and a bad one is refused") {
    TempDir dir;
    rl::core::Settings s =
        *rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "sigmoid-bandit").settings;
    REQUIRE(rl::core::set_field(s, "steps", "5").empty());
    REQUIRE(rl::core::set_field(s, "runs", "4").empty());
    REQUIRE(rl::core::set_field(s, "M", "64").empty());
    const fs::path file = dir.path / "s.json";
    REQUIRE(rl::io::write_settings_file(file, s).empty());
    const fs::path out = dir.path / "out";
    const Run good = run_cli_app(
        "--headless --engine cpu --session '" + file.string() + "' --out '" + out.string() + "'",
        dir);
    REQUIRE_MESSAGE(good.status == 0, good.err);
    CHECK(lines_of(read_text(out / "summary.csv")).size() == 6);
    CHECK(read_text(out / "summary.csv").find("p_action_1_mean") != std::string::npos);

    std::ofstream(file) << R"({"version": 1, "K": "many", "actions": [
        {"name": "a", "reward": "fixed", "value": 1}, {"name": "b", "reward": "fixed", "value": 0}]})";
    check_usage_error(
        run_cli_app("--headless --session '" + file.string() + "' --out '" + out.string() + "'",
                    dir),
        "--session: " + file.string() + ": K: must be a number");
}

TEST_CASE("cli: bad --set keys and values are one-line usage errors") {
    TempDir dir;
    const std::string out = " --out '" + (dir.path / "out").string() + "'";
    check_usage_error(run_cli_app("--headless --set bogus=1" + out, dir),
                      "--set bogus=1: bogus: unknown setting");
    const Run bad_k = run_cli_app("--headless --set K=abc" + out, dir);
    check_usage_error(bad_k, "K");
    CHECK(bad_k.err ==
          "reinforce-lab: --set K=abc: K: must be a whole number between 1 and 65536\n");
    check_usage_error(run_cli_app("--headless --set K" + out, dir), "--set K: expected KEY=VALUE");
    check_usage_error(run_cli_app("--headless --set action.7.value=1" + out, dir),
                      "action.7.value");
    // Checked together, so the order does not matter, but a bad combination is still refused.
    check_usage_error(run_cli_app("--headless --set baseline=rloo --set K=1" + out, dir),
                      "--set: baseline: rloo");
    // Nothing ran, so nothing was written.
    CHECK_FALSE(fs::exists(dir.path / "out" / "summary.csv"));
}

TEST_CASE("cli: --set values are validated together, in any order") {
    TempDir dir;
    const fs::path out = dir.path / "out";
    const Run r = run_cli_app(
        "--headless --set baseline=rloo --set K=4 --set steps=3 --set runs=2 "
        "--set M=64 --out '" +
            out.string() + "'",
        dir);
    CHECK(r.status == 0);
    CHECK(fs::exists(out / "summary.csv"));
}

TEST_CASE("cli: argument errors exit 2 with one line") {
    TempDir dir;
    const std::string out = " --out '" + (dir.path / "out").string() + "'";
    check_usage_error(run_cli_app("--headless --preset no-such-lesson" + out, dir),
                      "no-such-lesson");
    check_usage_error(run_cli_app("--headless", dir), "--out");
    check_usage_error(run_cli_app("--headless --no-such-flag" + out, dir), "--no-such-flag");
    check_usage_error(run_cli_app("--headless --engine quantum" + out, dir), "--engine");
    check_usage_error(run_cli_app("--headless --threads many" + out, dir), "--threads");
    check_usage_error(run_cli_app("--headless --preset a --session b" + out, dir), "--session");
}

TEST_CASE("cli: without a display the window explains itself and points at --headless") {
    TempDir dir;
    const Run r = run_cli_app("", dir);
    CHECK(r.status == 2);
    CHECK_MESSAGE(lines_of(r.err).size() == 1, r.err);
    CHECK_MESSAGE(r.err.find("--headless") != std::string::npos, r.err);
    CHECK_MESSAGE(r.err.find("window") != std::string::npos, r.err);
}

TEST_CASE("cli: window options are checked before a window opens") {
    TempDir dir;
    check_usage_error(run_cli_app("--size 12x34", dir), "--size");
    check_usage_error(run_cli_app("--size wide", dir), "--size");
    check_usage_error(run_cli_app("--screenshot a.png", dir), "--frames");
    check_usage_error(run_cli_app("--free-running", dir), "--frames");
    check_usage_error(run_cli_app("--frames 3 --screenshot a.jpg", dir), ".png");
    check_usage_error(run_cli_app("--frames 0", dir), "--frames");
    check_usage_error(run_cli_app("--out x", dir), "--headless");
}

TEST_CASE("cli: --help, --version and --list-presets exit 0") {
    TempDir dir;
    const Run help = run_cli_app("--help", dir);
    CHECK(help.status == 0);
    CHECK(help.out.find("--headless") != std::string::npos);
    CHECK(help.out.find("--set") != std::string::npos);

    const Run version = run_cli_app("--version", dir);
    CHECK(version.status == 0);
    CHECK(version.out == "reinforce-lab 0.1.0\n");

    const Run list = run_cli_app("--list-presets", dir);
    CHECK(list.status == 0);
    const std::vector<std::string> lines = lines_of(list.out);
    // The window's lessons, then the episodes under a line of their own.
    const std::vector<std::string> names = {
        "binary-verifier",     "kl-anchor",      "restaurants",
        "restaurants-shifted", "sigmoid-bandit", "testbed-10",
        "vocab-50k",           "yes-no-maybe",   "",
        "all-correct",         "one-bad-token",  "short-corridor",
        "token-chain"};
    REQUIRE(lines.size() == names.size());
    CHECK(lines[8] == "episodes (token sequences and tables; with --headless for now):");
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].empty()) continue;
        CHECK(lines[i].rfind(names[i] + " ", 0) == 0);
        // Each line carries the preset's title after the name.
        CHECK(lines[i].find_first_not_of(' ', names[i].size()) != std::string::npos);
    }
}

namespace {

// A character an option's name can hold: "--set" is not named by "--settings" or "--set_x".
bool option_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

// Whether `text` names `option` as a whole word.
bool names_option(const std::string& text, const std::string& option) {
    for (std::size_t at = text.find(option); at != std::string::npos;
         at = text.find(option, at + 1)) {
        const std::size_t end = at + option.size();
        if ((at == 0 || !option_char(text[at - 1])) &&
            (end == text.size() || !option_char(text[end])))
            return true;
    }
    return false;
}

}  // namespace

TEST_CASE("cli: the man page names every option --help prints, and the version") {
    TempDir dir;
    const Run help = run_cli_app("--help", dir);
    REQUIRE(help.status == 0);
    // troff writes a hyphen that must stay one (not become a dash) as \-.
    std::string man = read_text(RL_TEST_DOCS_DIR "/reinforce-lab.1");
    REQUIRE_FALSE(man.empty());
    for (std::size_t at = man.find("\\-"); at != std::string::npos; at = man.find("\\-", at))
        man.erase(at, 1);

    std::vector<std::string> options;
    for (std::size_t at = help.out.find("--"); at != std::string::npos;
         at = help.out.find("--", at + 2)) {
        std::size_t end = at + 2;
        while (end < help.out.size() && option_char(help.out[end]))
            ++end;
        if (end == at + 2) continue;
        const std::string option = help.out.substr(at, end - at);
        if (std::find(options.begin(), options.end(), option) == options.end())
            options.push_back(option);
    }
    // Every option the program takes, so a change in --help's layout cannot pass unnoticed.
    CHECK(options.size() >= 20);
    CHECK(names_option(help.out, "-h"));
    CHECK_MESSAGE(names_option(man, "-h"), "docs/reinforce-lab.1 does not name -h");
    for (const std::string& option : options)
        CHECK_MESSAGE(names_option(man, option), "docs/reinforce-lab.1 does not name " << option);

    const Run version = run_cli_app("--version", dir);
    REQUIRE(version.status == 0);
    const std::string line = version.out.substr(0, version.out.find('\n'));
    CHECK_MESSAGE(man.find(".TH REINFORCE-LAB 1 ") != std::string::npos, "no .TH line");
    CHECK_MESSAGE(man.find("\"" + line + "\"") != std::string::npos,
                  "docs/reinforce-lab.1's .TH line does not say \"" << line << "\"");
}

TEST_CASE("headless: a diverging run stops, writes the steps it did, and returns 3") {
    TempDir dir;
    rl::core::Settings s =
        *rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "yes-no-maybe").settings;
    REQUIRE(rl::core::set_field(s, "steps", "40").empty());
    REQUIRE(rl::core::set_field(s, "runs", "8").empty());
    REQUIRE(rl::core::set_field(s, "M", "64").empty());
    // No valid session makes the CPU engine diverge (the softmax saturates first), so the
    // training engine here is a real one that reports a divergence at step 13.
    DivergingEngine training(rl::engine::make_cpu_engine(1), 13);
    const auto probing = rl::engine::make_cpu_engine(1);
    std::ostringstream out, err;
    const int status =
        rl::io::run_headless_on(s, {training, *probing, "test engine"}, dir.path, out, err);
    CHECK(status == rl::io::kExitDiverged);
    CHECK(err.str() == "reinforce-lab: training stopped: run 3 diverged at step 13: test\n");
    CHECK(out.str().find("after step 13:") != std::string::npos);
    const std::vector<std::string> summary = lines_of(read_text(dir.path / "summary.csv"));
    REQUIRE(summary.size() == 1 + 13);
    CHECK(summary.back().rfind("13,", 0) == 0);
    CHECK(lines_of(read_text(dir.path / "snr.csv")).size() == 1 + 11 * 8);
}

TEST_CASE("headless: an unwritable output folder is a failure with a message") {
    rl::core::Settings s =
        *rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "yes-no-maybe").settings;
    REQUIRE(rl::core::set_field(s, "steps", "2").empty());
    REQUIRE(rl::core::set_field(s, "runs", "2").empty());
    REQUIRE(rl::core::set_field(s, "M", "8").empty());
    const auto training = rl::engine::make_cpu_engine(1), probing = rl::engine::make_cpu_engine(1);
    std::ostringstream out, err;
    const int status = rl::io::run_headless_on(s, {*training, *probing, "test engine"},
                                               "/nonexistent/folder", out, err);
    CHECK(status == rl::io::kExitFailure);
    // The files are staged beside the folder, in /nonexistent, which is where it fails.
    CHECK(err.str() ==
          "reinforce-lab: /nonexistent/folder: cannot create: No such file or "
          "directory\n");
    CHECK(out.str().find("wrote") == std::string::npos);
}

TEST_CASE("set_field: the messages --set shows name the key and the rule") {
    rl::core::Settings s =
        *rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "yes-no-maybe").settings;
    const rl::core::Settings before = s;
    CHECK(rl::core::set_field(s, "K", "abc") == "K: must be a whole number between 1 and 65536");
    CHECK(rl::core::set_field(s, "K", "0") == "K: must be a whole number between 1 and 65536");
    CHECK(rl::core::set_field(s, "lr", "-1") == "lr: must be greater than 0 and at most 1e+06");
    CHECK(rl::core::set_field(s, "baseline", "magic").rfind("baseline: must be one of none,", 0) ==
          0);
    CHECK(rl::core::set_field(s, "Kay", "1") == "Kay: unknown setting");
    CHECK(rl::core::set_field(s, "init_probs", "0.5,0.6,-0.1") ==
          "init_probs: every probability must be above 0 and at most 1");
    CHECK(rl::core::set_field(s, "init_probs", "0.5,0.5") == "init_probs: needs 3 values");
    CHECK(rl::core::set_field(s, "action.maybe.colour", "1")
              .rfind("action.maybe.colour: unknown", 0) == 0);
    CHECK(s.estimator.K == before.estimator.K);
    CHECK(s.init_logits == before.init_logits);
    CHECK(rl::core::set_field(s, "action.maybe.value", "6").empty());
    CHECK(s.actions[2].reward.value == 6.0);
}
