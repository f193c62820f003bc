// The runtime fallback: a primary engine that throws (a CUDA error, out of memory) is replaced by
// the CPU engine, which carries on from the last completed state, so every later result is the
// one a pure CPU run gives, bit for bit, and the switch is announced once with its reason.

#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/experiment.hpp"
#include "engine/engine.hpp"
#include "engine/fallback_engine.hpp"
#include "engine/forwarding_engine.hpp"
#include "support/engine_compare.hpp"
#include "support/sessions.hpp"

namespace {

using rl_test::busy_experiment;
using rl_test::check_same_advance;
using rl_test::check_same_cloud;
using rl_test::check_same_runs;
using rl_test::request_at;

enum class FailAt { kConfigure, kCloud, kAdvance };

// Passes everything to a CPU engine except the one call told to fail. Mid-advance failures
// first let the inner engine take a step, as a device that dies part way would.
class FailingEngine final : public rl::engine::ForwardingEngine {
  public:
    explicit FailingEngine(FailAt at)
        : ForwardingEngine(rl::engine::make_cpu_engine(2)), m_at(at) {}
    std::string_view name() const override { return "cuda"; }
    void configure(const rl::core::Experiment& e) override {
        if (m_at == FailAt::kConfigure) throw std::runtime_error("no kernel image (test)");
        ForwardingEngine::configure(e);
    }
    rl::engine::CloudResult gradient_cloud(const rl::engine::CloudRequest& r) override {
        if (m_at == FailAt::kCloud) throw std::runtime_error("out of memory (test)");
        return ForwardingEngine::gradient_cloud(r);
    }
    rl::engine::TrainingAdvance advance(int steps) override {
        if (m_at == FailAt::kAdvance && ++m_advances == 2) {
            inner().advance(1);
            throw std::runtime_error("device lost (test)");
        }
        return ForwardingEngine::advance(steps);
    }

  private:
    FailAt m_at;
    int m_advances = 0;
};

rl::engine::FallbackEngine make_fallback(FailAt at) {
    return rl::engine::FallbackEngine(std::make_unique<FailingEngine>(at),
                                      [] { return rl::engine::make_cpu_engine(1); });
}

}  // namespace

TEST_CASE("fallback engine replaces a primary that fails at configure") {
    const rl::core::Experiment e = busy_experiment();
    rl::engine::FallbackEngine engine = make_fallback(FailAt::kConfigure);
    auto cpu = rl::engine::make_cpu_engine(1);
    engine.configure(e);
    cpu->configure(e);
    CHECK(engine.fell_back());
    CHECK(engine.name() == "cpu");
    check_same_advance(engine.advance(12), cpu->advance(12));
    check_same_runs(engine, *cpu, e.runs);
    const std::string notice = engine.take_notice();
    CHECK(notice.find("cuda engine failed") != std::string::npos);
    CHECK(notice.find("no kernel image (test)") != std::string::npos);
    CHECK(notice.find("CPU engine") != std::string::npos);
    CHECK(engine.take_notice().empty());  // said once
}

TEST_CASE("fallback engine carries the runs on after a cloud failure") {
    const rl::core::Experiment e = busy_experiment();
    rl::engine::FallbackEngine engine = make_fallback(FailAt::kCloud);
    auto cpu = rl::engine::make_cpu_engine(1);
    engine.configure(e);
    cpu->configure(e);
    check_same_advance(engine.advance(7), cpu->advance(7));
    CHECK_FALSE(engine.fell_back());
    CHECK(engine.take_notice().empty());

    const rl::engine::CloudResult a = engine.gradient_cloud(request_at(engine));
    const rl::engine::CloudResult b = cpu->gradient_cloud(request_at(*cpu));
    CHECK(engine.fell_back());
    check_same_cloud(a, b);
    check_same_runs(engine, *cpu, e.runs);
    check_same_advance(engine.advance(5), cpu->advance(5));
    check_same_runs(engine, *cpu, e.runs);
    const std::string notice = engine.take_notice();
    CHECK(notice.find("out of memory (test)") != std::string::npos);
    CHECK(notice.find("from step 7") != std::string::npos);
}

TEST_CASE("fallback engine redoes an advance that failed midway") {
    const rl::core::Experiment e = busy_experiment();
    rl::engine::FallbackEngine engine = make_fallback(FailAt::kAdvance);
    auto cpu = rl::engine::make_cpu_engine(1);
    engine.configure(e);
    cpu->configure(e);
    check_same_advance(engine.advance(4), cpu->advance(4));
    CHECK_FALSE(engine.fell_back());
    // The primary took a step before it died; the replacement starts from step 4, not 5.
    check_same_advance(engine.advance(6), cpu->advance(6));
    CHECK(engine.fell_back());
    CHECK(engine.steps_done() == 10);
    check_same_runs(engine, *cpu, e.runs);
    CHECK(engine.take_notice().find("device lost (test)") != std::string::npos);
}

TEST_CASE("fallback engine keeps settings changes made before the failure") {
    rl::core::Experiment e = busy_experiment();
    rl::engine::FallbackEngine engine = make_fallback(FailAt::kCloud);
    auto cpu = rl::engine::make_cpu_engine(1);
    engine.configure(e);
    cpu->configure(e);
    engine.advance(3);
    cpu->advance(3);
    e.estimator.lr = 0.05;
    CHECK_FALSE(engine.update(e));
    CHECK_FALSE(cpu->update(e));
    engine.gradient_cloud(request_at(engine));
    REQUIRE(engine.fell_back());
    // Same steps after the switch only if the replacement got the new learning rate.
    check_same_advance(engine.advance(4), cpu->advance(4));
    check_same_runs(engine, *cpu, e.runs);
}

TEST_CASE("CPU engine restore puts runs back and checks their shape") {
    const rl::core::Experiment e = busy_experiment();
    auto a = rl::engine::make_cpu_engine(1);
    auto b = rl::engine::make_cpu_engine(2);
    a->configure(e);
    b->configure(e);
    a->advance(5);
    std::vector<std::vector<double>> logits;
    for (int r = 0; r < e.runs; ++r)
        logits.push_back(a->run_logits(r));
    b->restore(logits, a->running_baselines(), a->steps_done());
    check_same_runs(*a, *b, e.runs);
    check_same_advance(a->advance(3), b->advance(3));
    logits.pop_back();
    CHECK_THROWS_AS(b->restore(logits, a->running_baselines(), 0), std::invalid_argument);
}
