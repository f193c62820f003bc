// Running out of memory anyway (the budget bypassed, or an estimate too low): one line naming
// what was being allocated, never a bare std::bad_alloc, and the session kept.

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <string>

#include "control/lab.hpp"
#include "core/allocation.hpp"
#include "core/vocabulary.hpp"
#include "engine/forwarding_engine.hpp"
#include "live/runner.hpp"
#include "support/run_app.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

using rl::live::Level;

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

// Under AddressSanitizer an allocation the system refuses aborts the program instead of
// throwing, and its shadow memory does not fit an address-space limit.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

// An engine whose training runs out of memory as a bare std::bad_alloc when told to.
class StarvedEngine final : public rl::engine::ForwardingEngine {
  public:
    explicit StarvedEngine(std::shared_ptr<bool> starve)
        : ForwardingEngine(rl::engine::make_cpu_engine(2)), m_starve(std::move(starve)) {}
    rl::engine::TrainingAdvance advance(int steps) override {
        if (*m_starve) throw std::bad_alloc();
        return inner().advance(steps);
    }

  private:
    std::shared_ptr<bool> m_starve;
};

// 4096 runs x 65,536 actions: 2 GiB of logits, more than the address space the tests leave.
rl::core::Settings two_gib_of_logits() {
    rl::core::Settings s = rl_test::small_yes_no_maybe(4096, 16);
    rl::core::VocabularySpec v;
    v.N = 65536;
    rl::core::apply_vocabulary(s, v);
    REQUIRE(rl::core::validate(s).empty());
    return s;
}

// Lowers the soft address-space limit to what the process maps now plus `room`, for as long as
// it lives; the hard limit stays, so the old soft one comes back.
class AddressSpaceLimit {
  public:
    explicit AddressSpaceLimit(std::uint64_t room) {
        REQUIRE(::getrlimit(RLIMIT_AS, &m_old) == 0);
        std::ifstream statm("/proc/self/statm");
        std::uint64_t pages = 0;
        statm >> pages;
        REQUIRE(pages > 0);
        rlimit lowered = m_old;
        lowered.rlim_cur = pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) + room;
        if (m_old.rlim_max != RLIM_INFINITY && lowered.rlim_cur > m_old.rlim_max)
            lowered.rlim_cur = m_old.rlim_max;
        REQUIRE(::setrlimit(RLIMIT_AS, &lowered) == 0);
    }
    ~AddressSpaceLimit() { ::setrlimit(RLIMIT_AS, &m_old); }
    AddressSpaceLimit(const AddressSpaceLimit&) = delete;
    AddressSpaceLimit& operator=(const AddressSpaceLimit&) = delete;

  private:
    rlimit m_old{};
};

}  // namespace

TEST_CASE("Out of memory: the allocation is named, or else what was being done") {
    const auto fail = [] { throw std::bad_alloc(); };
    const auto name = [] { return std::string("the runs' logits (4 runs x 3 actions)"); };
    CHECK_THROWS_WITH_AS(rl::core::allocating(name, fail),
                         "out of memory allocating the runs' logits (4 runs x 3 actions)",
                         rl::core::AllocationFailure);
    // The innermost name wins: it says most about what did not fit.
    const auto nested = [&] {
        rl::core::allocating(name, [&] {
            rl::core::allocating([] { return std::string("the step history"); }, fail);
        });
    };
    CHECK_THROWS_WITH_AS(nested(), "out of memory allocating the step history", std::bad_alloc);
    CHECK(rl::core::allocation_message(std::bad_alloc(), "training the runs") ==
          "out of memory while training the runs");
    CHECK(rl::core::allocation_message(rl::core::AllocationFailure("out of memory allocating x"),
                                       "training the runs") == "out of memory allocating x");
}

TEST_CASE("Out of memory: a runner's tick pauses with one line and keeps the runs going after") {
    auto starve = std::make_shared<bool>(false);
    rl::live::Runner live(rl_test::small_yes_no_maybe(16, 256),
                          std::make_unique<StarvedEngine>(starve), rl::engine::make_cpu_engine(2));
    live.set_pace(2, 1.0);
    live.set_playing(true);
    rl_test::run_frames(live, 2);
    REQUIRE(rl_test::snapshot(live).steps_done == 4);
    live.take_messages();

    *starve = true;
    rl_test::run_frames(live, 1);
    const std::vector<rl::live::Message> messages = live.take_messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].level == Level::kError);
    CHECK(messages[0].text == "Paused: out of memory while training the runs");
    const rl::live::Results paused = rl_test::snapshot(live);
    CHECK_FALSE(paused.playing);
    CHECK(paused.steps_done == 4);

    *starve = false;
    live.step_once();
    live.wait_idle();
    CHECK(rl_test::snapshot(live).steps_done == 5);
}

TEST_CASE("Out of memory: an edit the engine cannot allocate is named and the settings stay") {
    if (kAddressSanitizer) {
        MESSAGE("SKIPPED: AddressSanitizer aborts on an allocation the system refuses");
        return;
    }
    rl::live::RunnerOptions options = rl_test::cpu_options();
    options.memory_limit = 1024 * kGiB;  // the budget out of the way: only the system refuses
    rl::control::Lab lab(rl_test::small_yes_no_maybe(16, 256), options);
    lab.transport().wait_idle();
    lab.take_messages();
    const std::uint64_t version = lab.settings_version();
    {
        const AddressSpaceLimit limit(kGiB);
        REQUIRE(lab.apply(two_gib_of_logits()).empty());
        lab.transport().wait_idle();
    }
    const std::vector<rl::live::Message> messages = lab.take_messages();
    REQUIRE_FALSE(messages.empty());
    CHECK(rl_test::has_message(
        messages, Level::kError,
        "Paused: out of memory allocating the runs' logits (4096 runs x 65536 actions)"));
    for (const rl::live::Message& m : messages)
        CHECK(m.text.find('\n') == std::string::npos);
    // The runs go on under the settings they had, and the panels are told to show those again.
    CHECK(lab.settings().actions.size() == 3);
    CHECK(lab.settings_version() != version);
    lab.transport().step();
    lab.transport().wait_idle();
    const std::shared_ptr<const rl::live::Results> after = lab.results_a();
    CHECK(after->settings.actions.size() == 3);
    CHECK(after->steps_done == 1);
}

TEST_CASE("Out of memory: a headless run ends in one line naming the allocation, exit 1") {
    if (kAddressSanitizer) {
        MESSAGE("SKIPPED: AddressSanitizer's shadow memory does not fit an address-space limit");
        return;
    }
    rl_test::TempDir dir("rl-oom");
    const std::filesystem::path session = dir.path / "big.json";
    {
        std::ofstream out(session);
        out << R"({"version": 1, "vocabulary": {"N": 65536, "zipf_s": 1.1, "good_every": 50,)"
            << R"( "good_reward": 1, "other_reward": 0}, "runs": 4096, "steps": 1, "M": 16})";
    }
    // 1.5 GiB of address space: the program runs, its 2 GiB of logits do not fit.
    const std::string args = "--headless --engine cpu --threads 2 --memory-limit 1T --session '" +
                             session.string() + "' --out '" + (dir.path / "out").string() + "'";
    const rl_test::AppRun run = rl_test::run_app(args, dir, "ulimit -v 1572864;");
    CHECK(run.status == 1);
    CHECK(run.err ==
          "reinforce-lab: out of memory allocating the runs' logits (4096 runs x 65536 "
          "actions)\n");
    CHECK_FALSE(std::filesystem::exists(dir.path / "out" / "summary.csv"));
}
