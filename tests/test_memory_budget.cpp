// The memory budget: the estimate of what settings need, checked against what runs really take,
// the limit (half this machine's memory, or --memory-limit), and the refusal on every way in.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "control/lab.hpp"
#include "core/memory_estimate.hpp"
#include "core/memory_limit.hpp"
#include "core/vocabulary.hpp"
#include "io/headless.hpp"
#include "io/presets.hpp"
#include "live/history.hpp"
#include "live/resident_memory.hpp"
#include "live/runner.hpp"
#include "support/run_app.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

using rl::core::MemoryUse;
using rl::core::RunMode;

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// The settings rl_test builds, with a generated vocabulary of N actions.
rl::core::Settings vocabulary(std::size_t n, int runs) {
    rl::core::Settings s = rl_test::small_yes_no_maybe(runs, 64);
    rl::core::VocabularySpec v;
    v.N = n;
    rl::core::apply_vocabulary(s, v);
    s.steps = 200;
    REQUIRE(rl::core::validate(s).empty());
    return s;
}

rl::core::Settings preset(const std::string& name) {
    const rl::io::SessionFileResult loaded =
        rl::io::load_preset_file(rl::io::find_asset_dir(), name);
    REQUIRE_MESSAGE(loaded, loaded.error);
    return loaded.document->settings;
}

double estimate(const rl::core::Settings& s, RunMode mode, int threads = 2) {
    return rl::core::estimate_memory(s, MemoryUse{mode, threads}).total;
}

}  // namespace

// Under AddressSanitizer every allocation carries redzones and freed memory is held in
// quarantine, so resident memory says nothing about the estimate.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

TEST_CASE("Memory budget: sizes read as bytes, with K, M, G and T powers of 1024") {
    using rl::core::parse_memory_size;
    CHECK(parse_memory_size("2G") == 2 * kGiB);
    CHECK(parse_memory_size("2g") == 2 * kGiB);
    CHECK(parse_memory_size("2GB") == 2 * kGiB);
    CHECK(parse_memory_size("2GiB") == 2 * kGiB);
    CHECK(parse_memory_size("512M") == 512 * kMiB);
    CHECK(parse_memory_size("1.5G") == 3 * kGiB / 2);
    CHECK(parse_memory_size("64k") == 64 * 1024);
    CHECK(parse_memory_size("1T") == 1024 * kGiB);
    CHECK(parse_memory_size("1048576") == kMiB);
    CHECK(parse_memory_size("100B") == 100);
    for (const char* bad : {"", "0", "0.4", "-1G", "+1G", "G", "2X", "2 G", "1e9", "2GG", ".5G",
                            "nan", "99999999999T"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_memory_size(bad));
    }
    CHECK(rl::core::format_bytes(900) == "900 bytes");
    CHECK(rl::core::format_bytes(1.5 * kGiB) == "1.5 GiB");
    CHECK(rl::core::format_bytes(512.0 * kMiB) == "512.0 MiB");
}

TEST_CASE("Memory budget: the default limit is half this machine's physical memory") {
    const std::uint64_t machine = rl::core::machine_memory_bytes();
    // sysconf and /proc/meminfo count the same memory; a page either way.
    CHECK(machine > 0);
    CHECK(rl::core::meminfo_memory_bytes() > 0);
    CHECK(machine + 4096 >= rl::core::meminfo_memory_bytes());
    CHECK(machine <= rl::core::meminfo_memory_bytes() + 4096);
    const rl::core::MemoryLimit limit = rl::core::default_memory_limit();
    CHECK(limit.bytes == machine / 2);
    CHECK_FALSE(limit.from_option);
    CHECK(rl::core::memory_limit_from_option(0).bytes == machine / 2);
    CHECK(rl::core::memory_limit_from_option(3 * kGiB).bytes == 3 * kGiB);
    CHECK(rl::core::memory_limit_from_option(3 * kGiB).from_option);
    CHECK(rl::core::describe_limit(rl::core::default_memory_limit(24 * kGiB)) ==
          "12.0 GiB (half this machine's memory; --memory-limit changes it)");
    CHECK(rl::core::describe_limit({2 * kGiB, true}) == "2.0 GiB (--memory-limit)");
}

// Only estimated: these would take minutes and gigabytes to run.
TEST_CASE("Memory budget: known-huge settings are refused at a machine's default, taken above") {
    SUBCASE("4096 runs x 262,144 actions: 8 GiB of logits, window and headless alike") {
        const rl::core::Settings s = vocabulary(rl::core::limits::kMaxActions, 4096);
        for (RunMode mode : {RunMode::kWindow, RunMode::kHeadless}) {
            const MemoryUse use{mode, 2};
            CHECK(rl::core::estimate_memory(s, use).total > 8.0 * kGiB);
            // A 16 GiB laptop's default.
            const std::string refusal =
                rl::core::check_memory(s, use, rl::core::default_memory_limit(16 * kGiB));
            CAPTURE(refusal);
            CHECK(refusal.find("the settings need about 8.") == 0);
            CHECK(refusal.find("the largest part the runs' logits (4096 runs x 262144 actions x "
                               "8 bytes = 8.0 GiB); the limit is 8.0 GiB (half this machine's "
                               "memory; --memory-limit changes it)") != std::string::npos);
            CHECK(refusal.find('\n') == std::string::npos);
            CHECK(rl::core::check_memory(s, use, rl::core::memory_limit_from_option(10 * kGiB))
                      .empty());
        }
    }
    SUBCASE("vocab-50k with 1e6 steps: the headless CSV text, not the window's history") {
        rl::core::Settings s = preset("vocab-50k");
        s.steps = rl::core::limits::kMaxSteps;
        const MemoryUse headless{RunMode::kHeadless, 2};
        CHECK(estimate(s, RunMode::kHeadless) > 30.0 * kGiB);
        // This machine's default (24 GiB) and a 48 GiB workstation's.
        for (std::uint64_t machine : {24 * kGiB, 48 * kGiB}) {
            const std::string refusal =
                rl::core::check_memory(s, headless, rl::core::default_memory_limit(machine));
            CAPTURE(refusal);
            CHECK(refusal.find("the largest part the summary.csv text (1000001 rows x 1031 "
                               "columns x about 16 bytes = ") != std::string::npos);
        }
        CHECK(rl::core::check_memory(s, headless, rl::core::memory_limit_from_option(64 * kGiB))
                  .empty());
        // The window keeps a bounded history however long the run: it fits a small machine.
        CHECK(estimate(s, RunMode::kWindow) < 512.0 * kMiB);
        rl::core::Settings tenth = s;
        tenth.steps /= 10;
        CHECK(estimate(s, RunMode::kWindow) == estimate(tenth, RunMode::kWindow));
    }
}

TEST_CASE("Memory budget: the estimate grows with what scales: runs x N, N, M, steps") {
    const rl::core::Settings base = vocabulary(1000, 16);
    for (RunMode mode : {RunMode::kWindow, RunMode::kHeadless}) {
        const double at_base = estimate(base, mode);
        rl::core::Settings more_runs = base;
        more_runs.runs = 1600;
        // 1,584 more runs of 1,000 logits at 8 bytes each, at least.
        CHECK(estimate(more_runs, mode) - at_base >= 1584.0 * 1000 * 8);
        rl::core::Settings more_m = base;
        more_m.M = 1 << 20;
        CHECK(estimate(more_m, mode) - at_base >= (1 << 20) * 24.0);
        // Every engine worker keeps its own N-long buffers.
        CHECK(estimate(base, mode, 16) > estimate(base, mode, 2));
    }
    rl::core::Settings longer = base;
    longer.steps = 100000;
    CHECK(estimate(longer, RunMode::kHeadless) - estimate(base, RunMode::kHeadless) >
          99800.0 * (7 + 4 * 256) * 10);
}

TEST_CASE("Memory budget: a long vocabulary history keeps fewer points, within its budget") {
    CHECK(rl::core::history_point_capacity(3) == rl::core::kMaxHistoryPoints);
    const int vocabulary_points = rl::core::history_point_capacity(rl::core::kMaxTrackedActions);
    CHECK(vocabulary_points < rl::core::kMaxHistoryPoints);
    CHECK(vocabulary_points >= rl::core::kMinHistoryPoints);

    rl::live::History h;
    rl::live::history_clear(h, rl::core::kMaxTrackedActions);
    rl::engine::StepSummary step;
    step.action_probs.resize(rl::core::kMaxTrackedActions);
    std::size_t most_values = 0;
    for (int s = 1; s <= 60000; ++s) {
        step.step = s;
        rl::live::history_append(h, step);
        std::size_t values = h.step.capacity() + h.j_p10.capacity() + h.j_p50.capacity() +
                             h.j_p90.capacity() + h.best_share.capacity();
        for (const auto* group : {&h.prob_p10, &h.prob_p50, &h.prob_p90})
            for (const std::vector<double>& column : *group)
                values += column.capacity();
        most_values = std::max(most_values, values);
        REQUIRE(h.step.size() <= static_cast<std::size_t>(vocabulary_points));
    }
    CHECK(h.step.back() == 60000);
    // The vectors' growth can double what they hold, no more: the estimate counts that.
    const std::size_t columns = rl::core::history_columns(rl::core::kMaxTrackedActions);
    CHECK(most_values <= 2 * static_cast<std::size_t>(vocabulary_points) * columns);
    CHECK(vocabulary_points * columns <= rl::core::kHistoryValueBudget);

    // The same through a live runner: a 2,000-action vocabulary over 20,000 steps.
    rl::core::Settings s = vocabulary(2000, 1);
    s.M = 16;
    s.steps = 20000;
    rl::live::Runner live(s, rl_test::cpu_options());
    live.set_pace(5000, 1.0);
    live.set_playing(true);
    rl_test::run_frames(live, 4);
    const rl::live::Results r = rl_test::snapshot(live);
    REQUIRE(r.steps_done == 20000);
    CHECK(r.history.capacity == vocabulary_points);
    CHECK(r.history.step.size() <= static_cast<std::size_t>(vocabulary_points));
    CHECK(r.history.step.back() == 20000);
    CHECK(r.history.prob_p50.size() == rl::core::kMaxTrackedActions);
    CHECK(r.history.prob_p50.front().size() == r.history.step.size());
}

namespace {

struct Measured {
    double estimate = 0.0;
    double grown = 0.0;  // resident bytes
};

// A runner as the window has it: a few frames played, the latest results held by a reader.
Measured measure_runner(const rl::core::Settings& s) {
    rl::live::release_free_memory();
    const std::optional<std::size_t> before = rl::live::resident_bytes();
    REQUIRE(before);
    Measured m;
    m.estimate = estimate(s, RunMode::kWindow);
    {
        rl::live::RunnerOptions options = rl_test::cpu_options();
        options.memory_limit = 1024 * kGiB;
        rl::live::Runner live(s, options);
        live.set_pace(2, 1.0);
        live.set_playing(true);
        rl_test::run_frames(live, 3);
        const std::shared_ptr<const rl::live::Results> held = live.results();
        rl_test::run_frames(live, 3);
        const std::optional<std::size_t> after = rl::live::resident_bytes();
        REQUIRE(after);
        m.grown = static_cast<double>(*after) - static_cast<double>(*before);
    }
    MESSAGE("estimate " << rl::core::format_bytes(m.estimate) << ", resident growth "
                        << rl::core::format_bytes(m.grown));
    return m;
}

}  // namespace

TEST_CASE("Memory budget: the window's estimate is within a factor 2 of what a runner holds") {
    if (kAddressSanitizer) {
        MESSAGE("SKIPPED: AddressSanitizer's redzones and quarantine change what a run holds");
        return;
    }
    rl::core::Settings cloud = rl_test::small_yes_no_maybe(16, 1 << 20);
    cloud.steps = 200;
    for (const rl::core::Settings& s :
         {vocabulary(16384, 1024), vocabulary(rl::core::limits::kMaxActions, 1), cloud}) {
        const Measured m = measure_runner(s);
        CHECK(m.grown <= m.estimate + 8.0 * kMiB);
        CHECK(m.grown >= m.estimate / 2);
    }
}

namespace {

// The most resident memory seen while `work` runs, sampled every millisecond on a thread of its
// own, above what was resident before. A spike shorter than that can be missed, so this can
// only fall short of the true peak, never exceed it.
template <typename Work>
double peak_growth(Work&& work) {
    rl::live::release_free_memory();
    const std::optional<std::size_t> before = rl::live::resident_bytes();
    REQUIRE(before);
    std::atomic<bool> done{false};
    std::size_t most = *before;
    std::thread sampler([&] {
        while (!done.load()) {
            most = std::max(most, rl::live::resident_bytes().value_or(0));
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    work();
    done = true;
    sampler.join();
    return static_cast<double>(most) - static_cast<double>(*before);
}

}  // namespace

TEST_CASE("Memory budget: the headless estimate is within a factor 2 of the peak it reaches") {
    if (kAddressSanitizer) {
        MESSAGE("SKIPPED: AddressSanitizer's redzones and quarantine change what a run holds");
        return;
    }
    rl_test::TempDir dir("rl-memory");
    struct Case {
        std::size_t n;
        int runs, steps;
    };
    // The runs' logits; the per-action tables; the summary.csv text.
    for (const Case c : {Case{16384, 1024, 2}, Case{131072, 1, 2}, Case{300, 1, 5000}}) {
        rl::core::Settings s = vocabulary(c.n, c.runs);
        s.estimator.K = 64;
        s.M = 16;
        s.steps = c.steps;
        const double predicted = estimate(s, RunMode::kHeadless);
        std::ostringstream out, err;
        int code = -1;
        const double grown = peak_growth([&] {
            code = rl::io::run_headless(s, {"cpu", 2, dir.path}, out, err);
        });
        REQUIRE(code == 0);
        MESSAGE("N " << c.n << ", runs " << c.runs << ", steps " << c.steps << ": estimate "
                     << rl::core::format_bytes(predicted) << ", peak growth "
                     << rl::core::format_bytes(grown));
        // What the process itself touches on the way (thread stacks, heaps) is not the settings'.
        CHECK(grown <= predicted + 8.0 * kMiB);
        CHECK(grown >= predicted / 2);
    }
}

TEST_CASE("Memory budget: every way into a runner refuses what does not fit, keeping the last") {
    rl::live::RunnerOptions options = rl_test::cpu_options();
    options.memory_limit = 64 * kMiB;
    const rl::core::Settings small = rl_test::small_yes_no_maybe(16, 256);
    const rl::core::Settings big = vocabulary(16384, 1024);  // 128 MiB of logits
    const std::string limit = "the limit is 64.0 MiB (--memory-limit)";

    CHECK_THROWS_WITH_AS(rl::live::Runner(big, options),
                         doctest::Contains("the settings need about"), std::invalid_argument);

    rl::control::Lab lab(small, options);
    const std::uint64_t version = lab.settings_version();
    const std::string edit = lab.apply(big);
    CHECK(edit.find("the settings need about ") == 0);
    CHECK(edit.find("the largest part the runs' logits (1024 runs x 16384 actions x 8 bytes = "
                    "128.0 MiB); " +
                    limit) != std::string::npos);
    CHECK(lab.settings().actions.size() == 3);
    CHECK(lab.settings_version() == version);

    rl::io::SessionFile document;
    document.settings = big;
    const std::string load = lab.load(document, small, "big.json");
    CHECK(load.find("big.json: the settings need about ") == 0);
    CHECK(load.find(limit) != std::string::npos);
    CHECK(lab.settings().actions.size() == 3);

    // vocab-50k needs about 130 MiB in the window.
    const std::string refused_preset = lab.load_preset("vocab-50k");
    CHECK(refused_preset.find("preset vocab-50k: the settings need about ") == 0);
    CHECK(lab.settings().actions.size() == 3);
    lab.transport().wait_idle();
    CHECK(lab.results_a()->settings.actions.size() == 3);
}

TEST_CASE("Memory budget: --memory-limit on the command line, for headless and the window") {
    rl_test::TempDir dir("rl-memory-cli");
    const std::string out = "--out '" + (dir.path / "out").string() + "'";

    rl_test::AppRun bad = rl_test::run_app("--headless --memory-limit 2X " + out, dir);
    CHECK(bad.status == 2);
    CHECK(bad.err ==
          "reinforce-lab: --memory-limit 2X: expected a size above 0 such as 2G, 512M or "
          "1048576\n");

    // Refused before a step runs: a million steps of 1,031 columns would take 30 GiB of text.
    rl_test::AppRun csv = rl_test::run_app(
        "--headless --preset vocab-50k --set steps=1000000 --memory-limit 12G " + out, dir);
    CHECK(csv.status == 2);
    CHECK(rl_test::lines_of(csv.err).size() == 1);
    CHECK(csv.err.find("reinforce-lab: the settings need about 30.") == 0);
    CHECK(csv.err.find("the largest part the summary.csv text (1000001 rows x 1031 columns x "
                       "about 16 bytes = 30.7 GiB); the limit is 12.0 GiB (--memory-limit)") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path / "out" / "summary.csv"));

    // The same settings with room enough would run; the window refuses what it cannot hold
    // before it opens, so no display is needed to see it.
    rl_test::AppRun window =
        rl_test::run_app("--preset vocab-50k --memory-limit 64M", dir, rl_test::kNoDisplay);
    CHECK(window.status == 2);
    CHECK(window.err.find("reinforce-lab: the settings need about ") == 0);
    CHECK(window.err.find("the limit is 64.0 MiB (--memory-limit)") != std::string::npos);
}
