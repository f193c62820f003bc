// The headless run of an episode preset: the three CSV files with the columns docs/SESSION.md
// names, exact columns that agree with the brute-force oracle, the same files whatever the thread
// count, and REINFORCE finding the short corridor's stochastic optimum.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/choices.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/token_sequence.hpp"
#include "io/presets.hpp"
#include "io/settings_file.hpp"
#include "support/episode_oracle.hpp"
#include "support/export_checks.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::TempDir;

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (const char c : line) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.push_back(cell);
            cell.clear();
        } else {
            cell += c;
        }
    }
    out.push_back(cell);
    return out;
}

struct Csv {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
};

Csv read_csv(const fs::path& file) {
    Csv csv;
    const std::vector<std::string> lines = rl_test::lines_of(rl_test::read_text(file));
    REQUIRE(!lines.empty());
    csv.header = cells(lines.front());
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string> c = cells(lines[i]);
        REQUIRE(c.size() == csv.header.size());
        std::map<std::string, std::string> row;
        for (std::size_t j = 0; j < c.size(); ++j)
            row[csv.header[j]] = c[j];
        csv.rows.push_back(row);
    }
    return csv;
}

rl_test::AppRun headless(const std::string& args, const TempDir& dir,
                         const std::string& prefix = "") {
    return rl_test::run_app("--headless " + args + " --out '" + (dir.path / "out").string() + "'",
                            dir, prefix);
}

const std::vector<std::string> kHorizonColumns = {"T",           "K",
                                                  "credit",      "baseline",
                                                  "snr_exact",   "snr_measured",
                                                  "trcov_exact", "trcov_measured",
                                                  "snr_note"};

}  // namespace

TEST_CASE("episode headless: every episode preset writes summary, snr and horizon CSVs") {
    for (const char* name : {"token-chain", "all-correct", "one-bad-token", "short-corridor"}) {
        CAPTURE(name);
        TempDir dir("rl-episodes");
        // Few steps, runs and measured batches: the tables, not the training or the measured
        // values, are under test here.
        const rl_test::AppRun run = headless(
            std::string("--preset ") + name + " --set steps=3 --set runs=8 --set M=64", dir);
        INFO(run.err);
        REQUIRE(run.status == 0);
        CHECK(run.out.find("wrote") != std::string::npos);
        const Csv summary = read_csv(dir.path / "out" / "summary.csv");
        const std::vector<std::string> first = {"step",  "J_mean", "J_p10",
                                                "J_p50", "J_p90",  "share_greedy_best"};
        REQUIRE(summary.header.size() > first.size());
        CHECK(std::vector<std::string>(summary.header.begin(), summary.header.begin() + 6) ==
              first);
        CHECK(summary.rows.size() == 4);  // the initial policy and three steps
        const Csv snr = read_csv(dir.path / "out" / "snr.csv");
        CHECK(snr.header == std::vector<std::string>{
                                "K", "baseline", "snr_exact", "snr_measured", "trcov_exact",
                                "trcov_measured", "uphill_measured", "cos_measured", "snr_note"});
        CHECK(snr.rows.size() == 11 * 10);  // K = 1 .. 1024, every baseline
        const Csv horizon = read_csv(dir.path / "out" / "horizon.csv");
        CHECK(horizon.header == kHorizonColumns);
        const rl::io::SettingsResult s = rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, name);
        REQUIRE(s);
        CHECK(horizon.rows.size() == static_cast<std::size_t>(s.settings->length) * 4 * 2 * 10);
        // An absent exact value always says why.
        for (const auto& row : horizon.rows)
            if (row.at("snr_exact").empty()) CHECK_FALSE(row.at("snr_note").empty());
    }
}

TEST_CASE("episode headless: horizon.csv's exact columns agree with brute-force enumeration") {
    TempDir dir("rl-episodes");
    const rl_test::AppRun run =
        headless("--preset token-chain --set length=3 --set steps=1 --set runs=2 --set M=64", dir);
    INFO(run.err);
    REQUIRE(run.status == 0);
    const Csv horizon = read_csv(dir.path / "out" / "horizon.csv");
    const rl::io::SettingsResult preset =
        rl::io::load_preset({RL_TEST_ASSET_DIR, "test"}, "token-chain");
    REQUIRE(preset);
    int compared = 0;
    for (int T = 1; T <= 3; ++T) {
        rl::core::Settings s = *preset.settings;
        s.length = T;
        const rl::core::EpisodeProblem p = rl::core::make_episode_problem(s);
        const rl_test::EpisodeOracle oracle(*p.model, p.initial);
        for (const auto& row : horizon.rows) {
            if (std::stoi(row.at("T")) != T || row.at("trcov_exact").empty()) continue;
            const int K = std::stoi(row.at("K"));
            if (K > 4) continue;  // 8^K tuples for the oracle
            rl::core::EpisodeEstimator e;
            REQUIRE(rl::core::parse_choice(row.at("credit"), e.credit));
            REQUIRE(rl::core::parse_choice(row.at("baseline"), e.baseline));
            e.K = K;
            e.constant_b = s.estimator.constant_b;
            INFO("T " << T << ", K " << K << ", " << row.at("credit") << ", "
                      << row.at("baseline"));
            const double exact = oracle.moments(e).second;
            // The file holds 10 significant digits.
            CHECK(std::abs(std::stod(row.at("trcov_exact")) - exact) <=
                  1e-9 * std::max(1.0, exact));
            ++compared;
        }
    }
    CHECK(compared >= 3 * 2 * 2 * 6);
}

TEST_CASE("episode headless: a reward by position reaches horizon.csv, shorter rows without it") {
    // bad costs 2 at position 3 only: the rows for T = 1, 2 never reach it, T = 3's does.
    TempDir dir("rl-episodes");
    const std::string session = R"({"version": 3, "problem": "tokens", "length": 3,
        "actions": [{"name": "good", "reward": "fixed", "value": 1},
                    {"name": "bad", "reward": "fixed", "value": 0,
                     "by_position": [{"position": 3, "reward": "fixed", "value": -2}]}],
        "runs": 2, "steps": 1, "M": 64})";
    { std::ofstream(dir.path / "p.json") << session; }
    const rl_test::AppRun run = headless("--session '" + (dir.path / "p.json").string() + "'", dir);
    INFO(run.err);
    REQUIRE(run.status == 0);
    const Csv horizon = read_csv(dir.path / "out" / "horizon.csv");
    const rl::io::SettingsResult read = rl::io::read_settings_file(dir.path / "p.json");
    REQUIRE_MESSAGE(read, read.error);
    int compared = 0;
    for (int T = 1; T <= 3; ++T) {
        rl::core::Settings s = *read.settings;
        s.length = T;
        if (T < 3) s.actions[1].by_position.clear();
        const rl::core::EpisodeProblem p = rl::core::make_episode_problem(s);
        const rl_test::EpisodeOracle oracle(*p.model, p.initial);
        for (const auto& row : horizon.rows) {
            if (std::stoi(row.at("T")) != T || row.at("K") != "1" || row.at("baseline") != "none" ||
                row.at("credit") != "full_return")
                continue;
            rl::core::EpisodeEstimator e;
            const double exact = oracle.moments(e).second;
            CHECK(std::abs(std::stod(row.at("trcov_exact")) - exact) <=
                  1e-9 * std::max(1.0, exact));
            ++compared;
        }
    }
    CHECK(compared == 3);
}

TEST_CASE("episode headless: the files are the same with one thread or two") {
    std::string files[2];
    for (int threads = 1; threads <= 2; ++threads) {
        TempDir dir("rl-episodes");
        const rl_test::AppRun run = headless(
            "--preset one-bad-token --set length=6 --set steps=5 --set runs=16 --set M=256 "
            "--threads " +
                std::to_string(threads),
            dir);
        INFO(run.err);
        REQUIRE(run.status == 0);
        for (const char* f : {"summary.csv", "snr.csv", "horizon.csv"})
            files[threads - 1] += rl_test::read_text(dir.path / "out" / f);
    }
    CHECK(files[0] == files[1]);
}

TEST_CASE("episode headless: REINFORCE finds the short corridor's stochastic optimum") {
    TempDir dir("rl-episodes");
    // The preset's training as it is; few measured batches, as the tables are not under test.
    const rl_test::AppRun run = headless("--preset short-corridor --set runs=64 --set M=64", dir);
    INFO(run.err);
    REQUIRE(run.status == 0);
    const Csv summary = read_csv(dir.path / "out" / "summary.csv");
    const auto& last = summary.rows.back();
    // J(p) = (2p - 4) / (p (1 - p)), best at p = 2 - sqrt 2 = 0.586 with J = -11.657.
    const double p = std::stod(last.at("pi_b0_right"));
    const double J = std::stod(last.at("J_p50"));
    MESSAGE("short corridor after " << last.at("step") << " steps: median p(right) " << p
                                    << ", median J " << J);
    CHECK(p > 0.55);
    CHECK(p < 0.62);
    CHECK(J > -11.9);
    CHECK(J < -11.6);
}

TEST_CASE("episode headless: settings too large for memory are refused before any work") {
    // 64 tokens read on the previous one over 512 positions: 2.1 million logits a run, 4096 runs.
    TempDir dir("rl-episodes");
    std::string actions;
    for (int v = 0; v < 64; ++v)
        actions += std::string(v == 0 ? "" : ", ") + R"({"name": "t)" + std::to_string(v) +
                   R"(", "reward": "fixed", "value": 1})";
    const fs::path big = dir.path / "big.json";
    std::ofstream(big) << R"({"version": 3, "problem": "tokens", "length": 512, )"
                       << R"("policy_form": "previous_token", "runs": 4096, "actions": [)"
                       << actions << "]}";
    const rl_test::AppRun run = headless("--session '" + big.string() + "'", dir);
    CHECK(run.status == 2);
    CHECK(run.err.find("the runs' logits and probabilities (4096 runs x") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path / "out" / "summary.csv"));
}

TEST_CASE(
    "episode headless: a CUDA engine refuses episodes; auto runs them on the CPU and says so") {
    {
        // With RL_CUDA_FAULT set and no device, auto's CUDA engine is its stand-in, which refuses
        // episodes as the CUDA engine does; with a device, the CUDA engine itself.
        TempDir dir("rl-episodes");
        const rl_test::AppRun run =
            headless("--preset token-chain --engine auto --set steps=2 --set runs=4", dir,
                     "RL_CUDA_FAULT=run");
        INFO(run.err);
        REQUIRE(run.status == 0);
        CHECK(run.out.find("does not run episodes") != std::string::npos);
        CHECK(run.out.find("Episodes run on the CPU engine") != std::string::npos);
        CHECK(fs::exists(dir.path / "out" / "summary.csv"));
    }
    {
        // Forced, it is refused before any work: for episodes where a device answers, for the
        // missing device where none does.
        TempDir dir("rl-episodes");
        const rl_test::AppRun run = headless("--preset token-chain --engine cuda", dir);
        CHECK(run.status == 2);
        CHECK(run.err.find("CUDA") != std::string::npos);
        CHECK_FALSE(fs::exists(dir.path / "out"));
    }
}

TEST_CASE("episode headless: --svg draws the sequence's plots, its credit strip and SNR vs T") {
    for (const char* name : {"one-bad-token", "short-corridor"}) {
        CAPTURE(name);
        TempDir dir("rl-episode-svg");
        const rl_test::AppRun run = headless(
            std::string("--preset ") + name + " --set steps=3 --set runs=8 --set M=64 --svg", dir);
        INFO(run.err);
        REQUIRE(run.status == 0);
        const fs::path out = dir.path / "out";
        const bool tokens = std::string(name) == "one-bad-token";
        for (const char* stem : {"policy", "gradient", "reward", "snr", "credit", "length"}) {
            INFO(stem);
            const fs::path svg = out / (std::string(stem) + ".svg");
            // A table has no length to sweep.
            if (!tokens && std::string(stem) == "length") {
                CHECK_FALSE(fs::exists(svg));
                continue;
            }
            REQUIRE(fs::exists(svg));
            const std::string text = rl_test::read_text(svg);
            CHECK(rl_test::xmllint_accepts(text) == true);
            CHECK(text.find("<text") != std::string::npos);
        }
        // The strip's cells are rectangles, one per decision and row; its title says what it is.
        const std::string credit = rl_test::read_text(out / "credit.svg");
        CHECK(credit.find("Credit: the weight A_t") != std::string::npos);
        CHECK(credit.find("<rect") != std::string::npos);
        if (tokens) {
            const std::string length = rl_test::read_text(out / "length.svg");
            CHECK(length.find("SNR vs T") != std::string::npos);
            CHECK(length.find("R, none (current)") != std::string::npos);
        }
    }
}
