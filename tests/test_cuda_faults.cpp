// RL_CUDA_FAULT injects a CUDA failure at the engine's start, at a device allocation, or at the
// N-th cloud kernel launch. With the engine on auto the program must fall back to the CPU engine,
// say so once with the injected cause, and keep the session: every result after the switch is
// the one a pure CPU run gives, bit for bit. Where no CUDA device answers (here, CI) the faults
// hit a stand-in for the CUDA engine; where one does, the same tests break the real CUDA engine,
// and the "real GPU:" tests check that it was the real one.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/experiment.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/cuda_fault_injection.hpp"
#include "engine/engine.hpp"
#include "live/runner.hpp"
#include "support/engine_compare.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/sessions.hpp"
#include "support/temp_dir.hpp"
#include "test_live_support.hpp"

namespace {

using rl::engine::CudaFaultSite;
using rl::live::Level;
using rl::live::Runner;
using rl_test::check_same_advance;
using rl_test::check_same_cloud;
using rl_test::check_same_runs;
using rl_test::request_at;

// Sets RL_CUDA_FAULT for one test and puts back what was there.
class FaultSwitch {
  public:
    explicit FaultSwitch(const std::string& value) {
        if (const char* old = std::getenv(rl::engine::kCudaFaultVariable)) m_old = old;
        ::setenv(rl::engine::kCudaFaultVariable, value.c_str(), 1);
    }
    ~FaultSwitch() {
        if (m_old)
            ::setenv(rl::engine::kCudaFaultVariable, m_old->c_str(), 1);
        else
            ::unsetenv(rl::engine::kCudaFaultVariable);
    }
    FaultSwitch(const FaultSwitch&) = delete;
    FaultSwitch& operator=(const FaultSwitch&) = delete;

  private:
    std::optional<std::string> m_old;
};

struct Fault {
    std::string value;       // RL_CUDA_FAULT
    std::string cuda_error;  // what a real failure there reports
};

const Fault kStart{"start", "cudaErrorDevicesUnavailable"};
const Fault kAlloc{"alloc", "cudaErrorMemoryAllocation"};
const Fault kRun3{"run:3", "cudaErrorLaunchFailure"};

std::string injected(const Fault& f) {
    return "injected by RL_CUDA_FAULT=" + f.value;
}

// The reason a real-GPU test cannot run here, or empty when a device answers.
std::string no_device_reason() {
    const rl::engine::CudaProbe probe = rl::engine::probe_cuda_device();
    return probe.available ? std::string{} : "no CUDA device (" + probe.reason + ")";
}

int count_of(const std::string& text, const std::string& part) {
    int n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

// The engine auto picks under the switch must not be the CPU yet; clouds_before clouds succeed,
// the next one fails and is redone on the CPU; from then on everything is the CPU engine's.
void check_cloud_fault_carries_on(const Fault& fault, int clouds_before) {
    FaultSwitch on(fault.value);
    rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 2);
    REQUIRE(choice.engine);
    rl::engine::Engine& engine = *choice.engine;
    CHECK_FALSE(choice.warning);
    CHECK(engine.name() != "cpu");
    CHECK(choice.message.find("falls back to the CPU on any error") != std::string::npos);

    const rl::core::Experiment e = rl_test::busy_experiment();
    auto cpu = rl::engine::make_cpu_engine(1);
    engine.configure(e);
    cpu->configure(e);
    for (int i = 0; i < clouds_before; ++i) {
        check_same_advance(engine.advance(3), cpu->advance(3));
        engine.gradient_cloud(request_at(engine));
        CHECK(engine.name() != "cpu");
        CHECK(engine.take_notice().empty());
    }
    check_same_advance(engine.advance(3), cpu->advance(3));
    const int step = engine.steps_done();
    const rl::engine::CloudResult a = engine.gradient_cloud(request_at(engine));
    const rl::engine::CloudResult b = cpu->gradient_cloud(request_at(*cpu));
    CHECK(engine.name() == "cpu");
    check_same_cloud(a, b);
    check_same_runs(engine, *cpu, e.runs);

    const std::string notice = engine.take_notice();
    INFO("notice: " << notice);
    CHECK(notice.rfind("Switched to the CPU engine, 2 threads and carried on from step " +
                           std::to_string(step) + ":",
                       0) == 0);
    CHECK(notice.find(fault.cuda_error) != std::string::npos);
    CHECK(notice.find(injected(fault)) != std::string::npos);
    CHECK(engine.take_notice().empty());  // said once

    check_same_advance(engine.advance(5), cpu->advance(5));
    check_same_runs(engine, *cpu, e.runs);
    check_same_cloud(engine.gradient_cloud(request_at(engine)),
                     cpu->gradient_cloud(request_at(*cpu)));
    CHECK(engine.take_notice().empty());
}

// A small playing session in the window's live model, on auto under the switch, against the
// same session on the CPU engine: frame for frame the same published results.
rl::core::Settings runner_settings() {
    return rl_test::small_yes_no_maybe(24, 512);
}

void check_runner_keeps_playing(const Fault& fault, const std::string& expected_start) {
    std::vector<rl::live::Message> messages;
    rl::live::Results faulty;
    {
        FaultSwitch on(fault.value);
        Runner live(runner_settings(), rl::live::RunnerOptions{"auto", 2});
        live.set_pace(2, 1.0);
        live.set_playing(true);
        rl_test::run_frames(live, 12);
        faulty = rl_test::snapshot(live);
        messages = live.take_messages();
    }
    Runner cpu(runner_settings(), rl_test::cpu_options());
    cpu.set_pace(2, 1.0);
    cpu.set_playing(true);
    rl_test::run_frames(cpu, 12);
    const rl::live::Results expected = rl_test::snapshot(cpu);

    int warnings = 0;
    for (const rl::live::Message& m : messages) {
        INFO("message: " << m.text);
        CHECK(m.level != Level::kError);
        if (m.level != Level::kWarning) continue;
        ++warnings;
        CHECK(m.text.rfind(expected_start, 0) == 0);
        CHECK(m.text.find(injected(fault)) != std::string::npos);
        CHECK(m.text.find(fault.cuda_error) != std::string::npos);
    }
    CHECK(warnings == 1);
    CHECK(faulty.playing);
    CHECK(faulty.engine_description == expected.engine_description);
    CHECK(faulty.steps_done == 24);
    CHECK(faulty.steps_done == expected.steps_done);
    CHECK(faulty.history.j_p50 == expected.history.j_p50);
    CHECK(faulty.run0_probs == expected.run0_probs);
    CHECK(faulty.cloud_step == expected.cloud_step);
    check_same_cloud(faulty.cloud, expected.cloud);
}

// The headless program under the switch: exit 0, one warning on stderr and in the report, and
// the same training summary as --engine cpu.
void check_headless_run(const Fault& fault, const std::string& expected_warning) {
    rl_test::TempDir dir("rl-cuda-fault");
    const std::string args = "--headless --preset yes-no-maybe --set steps=25 --threads 2 --out ";
    const rl_test::AppRun run = rl_test::run_app(args + "'" + (dir.path / "fault").string() + "'",
                                                 dir, "RL_CUDA_FAULT=" + fault.value);
    const rl_test::AppRun cpu = rl_test::run_app(
        args + "'" + (dir.path / "cpu").string() + "' --engine cpu", dir, "env -u RL_CUDA_FAULT");
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    REQUIRE(cpu.status == 0);
    CHECK(count_of(run.err, "reinforce-lab: warning: ") == 1);
    CHECK(count_of(run.err, injected(fault)) == 1);
    CHECK(run.err.find(expected_warning) != std::string::npos);
    CHECK(run.err.find(fault.cuda_error) != std::string::npos);
    CHECK(run.out.find(injected(fault)) != std::string::npos);
    const std::string summary = rl_test::read_text(dir.path / "fault" / "summary.csv");
    CHECK_FALSE(summary.empty());
    CHECK(summary == rl_test::read_text(dir.path / "cpu" / "summary.csv"));
    // A real device measured the SNR table's first clouds before the fault, to rounding only.
    if (fault.value != kRun3.value || !no_device_reason().empty())
        CHECK(rl_test::read_text(dir.path / "fault" / "snr.csv") ==
              rl_test::read_text(dir.path / "cpu" / "snr.csv"));
}

}  // namespace

TEST_CASE("RL_CUDA_FAULT values are parsed strictly") {
    CHECK_FALSE(rl::engine::parse_cuda_fault("").plan);
    CHECK(rl::engine::parse_cuda_fault("").error.empty());

    const rl::engine::CudaFaultSwitch start = rl::engine::parse_cuda_fault("start");
    REQUIRE(start.plan);
    CHECK(start.plan->site == CudaFaultSite::kStart);
    REQUIRE(rl::engine::parse_cuda_fault("alloc").plan);
    CHECK(rl::engine::parse_cuda_fault("alloc").plan->site == CudaFaultSite::kAlloc);
    const rl::engine::CudaFaultSwitch run = rl::engine::parse_cuda_fault("run");
    REQUIRE(run.plan);
    CHECK(run.plan->site == CudaFaultSite::kRun);
    CHECK(run.plan->launch == rl::engine::kCudaFaultDefaultLaunch);
    REQUIRE(rl::engine::parse_cuda_fault("run:1").plan);
    CHECK(rl::engine::parse_cuda_fault("run:1").plan->launch == 1);
    REQUIRE(rl::engine::parse_cuda_fault("run:1000000").plan);
    CHECK(rl::engine::parse_cuda_fault("run:1000000").plan->launch == 1000000);

    for (const char* bad :
         {"Start", " start", "start ", "run:", "run:0", "run:-1", "run:+2", "run:2x", "run:1000001",
          "run:99999999999", "run:3:4", "alloc:1", "start:1", "gpu", ":3"}) {
        INFO("value '" << bad << "'");
        const rl::engine::CudaFaultSwitch s = rl::engine::parse_cuda_fault(bad);
        CHECK_FALSE(s.plan);
        CHECK(s.error.find(std::string("RL_CUDA_FAULT=") + bad + ": ") == 0);
        CHECK(s.error.find("expected start, alloc, run or run:N") != std::string::npos);
    }
}

TEST_CASE("a malformed RL_CUDA_FAULT stops every engine choice with the reason") {
    FaultSwitch on("run:three");
    for (const char* which : {"auto", "cpu", "cuda"}) {
        INFO("--engine " << which);
        try {
            rl::engine::make_engine(which, 1);
            FAIL("accepted RL_CUDA_FAULT=run:three");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).find("RL_CUDA_FAULT=run:three: the launch number") == 0);
        }
    }
    rl_test::TempDir dir("rl-cuda-fault");
    const rl_test::AppRun app = rl_test::run_app(
        "--headless --preset yes-no-maybe --out '" + (dir.path / "out").string() + "'", dir,
        "RL_CUDA_FAULT=alloc:2");
    CHECK(app.status == 2);
    CHECK(app.err.find("RL_CUDA_FAULT=alloc:2: only run takes a launch number") !=
          std::string::npos);
}

TEST_CASE("--engine cpu says RL_CUDA_FAULT is ignored") {
    FaultSwitch on("alloc");
    const rl::engine::EngineChoice choice = rl::engine::make_engine("cpu", 1);
    CHECK(choice.engine->name() == "cpu");
    CHECK_FALSE(choice.warning);
    CHECK(choice.message ==
          "CPU engine, 1 thread (chosen with --engine cpu); RL_CUDA_FAULT=alloc ignored: the CPU "
          "engine makes no CUDA calls");
}

TEST_CASE("fault injector: start and alloc fail once, a failed launch stays failed") {
    rl::engine::CudaFaultInjector none;
    CHECK_FALSE(none.armed());
    none.at_start();
    none.at_alloc();
    for (int i = 0; i < 10; ++i)
        none.at_launch();

    rl::engine::CudaFaultInjector alloc(rl::engine::parse_cuda_fault("alloc").plan);
    alloc.at_start();
    alloc.at_launch();
    CHECK_THROWS_WITH_AS(alloc.at_alloc(),
                         "cudaMalloc failed: out of memory (cudaErrorMemoryAllocation, injected "
                         "by RL_CUDA_FAULT=alloc)",
                         std::runtime_error);
    CHECK_NOTHROW(alloc.at_alloc());

    rl::engine::CudaFaultInjector run(rl::engine::parse_cuda_fault("run:2").plan);
    run.at_start();
    run.at_alloc();
    CHECK_NOTHROW(run.at_launch());
    CHECK_THROWS_AS(run.at_launch(), std::runtime_error);
    CHECK_THROWS_WITH(run.at_launch(),
                      doctest::Contains("unspecified launch failure (cudaErrorLaunchFailure"));

    rl::engine::CudaFaultInjector start(rl::engine::parse_cuda_fault("start").plan);
    CHECK_THROWS_WITH_AS(start.at_start(), doctest::Contains("cudaErrorDevicesUnavailable"),
                         std::runtime_error);
}

TEST_CASE("without a device, RL_CUDA_FAULT puts a labelled stand-in in the CUDA engine's place") {
    if (const std::string device = no_device_reason(); device.empty()) {
        MESSAGE("SKIPPED: a CUDA device answers, so auto runs the real CUDA engine");
        return;
    }
    const rl::engine::CudaProbe probe = rl::engine::probe_cuda_device();
    {
        FaultSwitch on("run");
        const rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 2);
        CHECK(choice.engine->name() == "stand-in CUDA");
        CHECK(choice.message.rfind(
                  "stand-in CUDA engine for RL_CUDA_FAULT tests (computes on the CPU engine, 2 "
                  "threads) (no CUDA device here: ",
                  0) == 0);
        CHECK(choice.message.find(probe.reason) != std::string::npos);
        // Forcing CUDA never gets the stand-in: there is no CUDA engine to force.
        CHECK_THROWS_AS(rl::engine::make_engine("cuda"), std::invalid_argument);
    }
    // Without the switch nothing changes: the CPU engine and the reason.
    const rl::engine::EngineChoice plain = rl::engine::make_engine("auto", 2);
    CHECK(plain.engine->name() == "cpu");
    CHECK(plain.message == "CPU engine, 2 threads (" + probe.reason + ")");
}

TEST_CASE("injected start fault: auto starts on the CPU engine and says why") {
    FaultSwitch on(kStart.value);
    rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 2);
    INFO("message: " << choice.message);
    CHECK(choice.warning);
    CHECK(choice.engine->name() == "cpu");
    CHECK(choice.message.rfind("Fell back to the CPU engine, 2 threads (", 0) == 0);
    CHECK(choice.message.find(kStart.cuda_error) != std::string::npos);
    CHECK(choice.message.find(injected(kStart)) != std::string::npos);
    // Said once, in the choice: the engine has no notice of its own to add.
    CHECK(choice.engine->take_notice().empty());

    const rl::core::Experiment e = rl_test::busy_experiment();
    auto cpu = rl::engine::make_cpu_engine(1);
    choice.engine->configure(e);
    cpu->configure(e);
    check_same_advance(choice.engine->advance(6), cpu->advance(6));
    check_same_cloud(choice.engine->gradient_cloud(request_at(*choice.engine)),
                     cpu->gradient_cloud(request_at(*cpu)));
    check_same_runs(*choice.engine, *cpu, e.runs);
}

TEST_CASE("injected alloc fault: the first cloud moves to the CPU and the runs carry on") {
    check_cloud_fault_carries_on(kAlloc, 0);
}

TEST_CASE("injected run fault: the third cloud launch moves to the CPU and the runs carry on") {
    check_cloud_fault_carries_on(kRun3, 2);
}

TEST_CASE("live session: injected start fault is a warning and the session plays on") {
    check_runner_keeps_playing(kStart, "Fell back to the CPU engine, 2 threads (");
}

TEST_CASE("live session: injected alloc fault is a warning and the session plays on") {
    check_runner_keeps_playing(kAlloc, "Switched to the CPU engine, 2 threads");
}

TEST_CASE("live session: injected run fault is a warning and the session plays on") {
    check_runner_keeps_playing(kRun3, "Switched to the CPU engine, 2 threads");
}

TEST_CASE("headless: injected start fault warns and gives the CPU run's results") {
    check_headless_run(kStart, "reinforce-lab: warning: Fell back to the CPU engine, 2 threads");
}

TEST_CASE("headless: injected alloc fault warns and gives the CPU run's results") {
    check_headless_run(kAlloc, "reinforce-lab: warning: SNR table: Switched to the CPU engine");
}

TEST_CASE("headless: injected run fault warns and gives the CPU run's results") {
    check_headless_run(kRun3, "reinforce-lab: warning: SNR table: Switched to the CPU engine");
}

TEST_CASE("gui: injected run fault shows a warning in the window and plays on") {
    rl_test::TempDir dir("rl-cuda-fault-gui");
    const std::string png = (dir.path / "fault.png").string();
    const rl_test::AppRun run = rl_test::run_app(
        "--preset yes-no-maybe --threads 2 --frames 30 --size 1280x800 --screenshot '" + png + "'",
        dir, "RL_CUDA_FAULT=run:3 xvfb-run -a -s '-screen 0 1600x1000x24'");
    INFO("stdout: " << run.out);
    INFO("stderr: " << run.err);
    REQUIRE(run.status == 0);
    // Scripted runs print the window's warnings: exactly one, the fallback with its cause.
    CHECK(count_of(run.out, "Warning: ") == 1);
    CHECK(run.out.find("Warning: Switched to the CPU engine, 2 threads and carried on from step") !=
          std::string::npos);
    CHECK(run.out.find(injected(kRun3)) != std::string::npos);
    CHECK(run.out.find("Error: ") == std::string::npos);

    const rl_test::Image image = rl_test::load_png(png);
    REQUIRE(image.pixels != nullptr);
    REQUIRE(image.width == 1280);
    REQUIRE(image.height == 800);
    // The status line's right half holds only the newest message: the warning, in its amber.
    int amber = 0;
    for (int y = image.height - 24; y < image.height; ++y)
        for (int x = image.width / 2; x < image.width; ++x) {
            const unsigned char* p = image.at(x, y);
            amber += p[0] > 180 && p[1] > 120 && p[1] < 210 && p[2] < 90;
        }
    CHECK(amber > 150);
    // Still playing after the fault: every plot is drawn.
    const auto boxes = rl_test::plot_boxes(run.out);
    for (const char* name : {"Policy", "Gradient", "SNR", "Reward"}) {
        INFO("plot " << name);
        REQUIRE(boxes.count(name) == 1);
        CHECK(rl_test::coloured_pixels(image, boxes.at(name)) > 300);
    }
}

TEST_CASE("real GPU: injected alloc and run faults stop the CUDA engine itself") {
    if (const std::string why = no_device_reason(); !why.empty()) {
        MESSAGE("SKIPPED: " << why);
        return;
    }
    for (const Fault& fault : {kAlloc, Fault{"run:2", kRun3.cuda_error}}) {
        INFO("RL_CUDA_FAULT=" << fault.value);
        {
            FaultSwitch on(fault.value);
            const rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 2);
            CHECK(choice.engine->name() == "cuda");
            CHECK(choice.message.find("CUDA engine on ") == 0);
        }
        check_cloud_fault_carries_on(fault, fault.value == "alloc" ? 0 : 1);
    }
    // The real engine's own notice names it.
    FaultSwitch on("run:1");
    rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 2);
    const rl::core::Experiment e = rl_test::busy_experiment();
    choice.engine->configure(e);
    choice.engine->gradient_cloud(request_at(*choice.engine));
    CHECK(choice.engine->take_notice().find("the cuda engine failed (cloud kernel launch") !=
          std::string::npos);
}

TEST_CASE("real GPU: an injected start fault falls back on auto and refuses --engine cuda") {
    if (const std::string why = no_device_reason(); !why.empty()) {
        MESSAGE("SKIPPED: " << why);
        return;
    }
    FaultSwitch on(kStart.value);
    const rl::engine::EngineChoice choice = rl::engine::make_engine("auto", 2);
    CHECK(choice.warning);
    CHECK(choice.message.find("but the CUDA engine failed: cudaSetDevice failed") !=
          std::string::npos);
    CHECK_THROWS_WITH_AS(rl::engine::make_engine("cuda"),
                         doctest::Contains(injected(kStart).c_str()), std::invalid_argument);
    rl_test::TempDir dir("rl-cuda-fault");
    const rl_test::AppRun app =
        rl_test::run_app("--headless --preset yes-no-maybe --engine cuda --out '" +
                             (dir.path / "out").string() + "'",
                         dir, "RL_CUDA_FAULT=start");
    CHECK(app.status == 2);
    CHECK(app.err.find("--engine cuda: ") != std::string::npos);
    CHECK(app.err.find(injected(kStart)) != std::string::npos);
}
