// The runtime fallback: a primary engine that throws (a CUDA error, out of memory) is replaced by
// the CPU engine, which carries on from the last completed state, so every later result is the
// one a pure CPU run gives, bit for bit, and the switch is announced once with its reason.

#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/experiment.hpp"
#include "engine/engine.hpp"
#include "engine/fallback_engine.hpp"
#include "support/forwarding_engine.hpp"
#include "support/sessions.hpp"

namespace {

enum class FailAt { kConfigure, kCloud, kAdvance };

// Passes everything to a CPU engine except the one call told to fail. Mid-advance failures
// first let the inner engine take a step, as a device that dies part way would.
class FailingEngine final : public rl_test::ForwardingEngine {
  public:
    explicit FailingEngine(FailAt at) : ForwardingEngine(rl::make_cpu_engine(2)), m_at(at) {}
    std::string_view name() const override { return "cuda"; }
    void configure(const rl::Experiment& e) override {
        if (m_at == FailAt::kConfigure) throw std::runtime_error("no kernel image (test)");
        ForwardingEngine::configure(e);
    }
    rl::CloudResult gradient_cloud(const rl::CloudRequest& r) override {
        if (m_at == FailAt::kCloud) throw std::runtime_error("out of memory (test)");
        return ForwardingEngine::gradient_cloud(r);
    }
    rl::TrainingAdvance advance(int steps) override {
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

rl::FallbackEngine make_fallback(FailAt at) {
    return rl::FallbackEngine(std::make_unique<FailingEngine>(at),
                              [] { return rl::make_cpu_engine(1); });
}

// Noisy rewards and a running average baseline, so the restored state (sum and count, not only
// the current value) decides the next steps.
rl::Experiment busy_experiment() {
    rl::Session s = rl_test::make_session(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::bernoulli_reward(0.4, -1, 3),
         rl_test::fixed_reward(0.5), rl_test::gaussian_reward(-0.5, 0.7)},
        {0.1, -0.3, 0.4, 0.0});
    s.estimator.K = 5;
    s.estimator.baseline = rl::BaselineKind::kRunning;
    s.estimator.running_mode = rl::RunningMode::kAverage;
    s.estimator.lr = 0.3;
    s.runs = 9;
    s.seed = 77;
    REQUIRE(rl::validate(s).empty());
    return rl::make_experiment(s);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void check_same_runs(rl::Engine& a, rl::Engine& b, int runs) {
    CHECK(a.steps_done() == b.steps_done());
    for (int r = 0; r < runs; ++r) {
        CHECK(same_bits(a.run_logits(r), b.run_logits(r)));
        CHECK(a.run_running_baseline(r) == b.run_running_baseline(r));
    }
}

void check_same_advance(const rl::TrainingAdvance& a, const rl::TrainingAdvance& b) {
    REQUIRE(a.steps.size() == b.steps.size());
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
        CHECK(a.steps[i].step == b.steps[i].step);
        CHECK(a.steps[i].J.mean == b.steps[i].J.mean);
        CHECK(a.steps[i].J.p90 == b.steps[i].J.p90);
        CHECK(a.steps[i].opt_action_share == b.steps[i].opt_action_share);
    }
    CHECK(same_bits(a.run0.gradient, b.run0.gradient));
}

rl::CloudRequest request_at(rl::Engine& engine) {
    rl::CloudRequest r;
    r.logits = engine.run_logits(0);
    r.step = static_cast<std::uint32_t>(engine.steps_done());
    r.running_value = engine.run_running_baseline(0);
    r.K = 6;
    r.M = 3000;
    return r;
}

}  // namespace

TEST_CASE("fallback engine replaces a primary that fails at configure") {
    const rl::Experiment e = busy_experiment();
    rl::FallbackEngine engine = make_fallback(FailAt::kConfigure);
    auto cpu = rl::make_cpu_engine(1);
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
    const rl::Experiment e = busy_experiment();
    rl::FallbackEngine engine = make_fallback(FailAt::kCloud);
    auto cpu = rl::make_cpu_engine(1);
    engine.configure(e);
    cpu->configure(e);
    check_same_advance(engine.advance(7), cpu->advance(7));
    CHECK_FALSE(engine.fell_back());
    CHECK(engine.take_notice().empty());

    const rl::CloudResult a = engine.gradient_cloud(request_at(engine));
    const rl::CloudResult b = cpu->gradient_cloud(request_at(*cpu));
    CHECK(engine.fell_back());
    CHECK(std::memcmp(a.x.data(), b.x.data(), a.x.size() * sizeof(float)) == 0);
    CHECK(same_bits(a.norm2, b.norm2));
    CHECK(a.trace_cov == b.trace_cov);
    CHECK(a.histogram.counts == b.histogram.counts);
    check_same_runs(engine, *cpu, e.runs);
    check_same_advance(engine.advance(5), cpu->advance(5));
    check_same_runs(engine, *cpu, e.runs);
    const std::string notice = engine.take_notice();
    CHECK(notice.find("out of memory (test)") != std::string::npos);
    CHECK(notice.find("from step 7") != std::string::npos);
}

TEST_CASE("fallback engine redoes an advance that failed midway") {
    const rl::Experiment e = busy_experiment();
    rl::FallbackEngine engine = make_fallback(FailAt::kAdvance);
    auto cpu = rl::make_cpu_engine(1);
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
    rl::Experiment e = busy_experiment();
    rl::FallbackEngine engine = make_fallback(FailAt::kCloud);
    auto cpu = rl::make_cpu_engine(1);
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
    const rl::Experiment e = busy_experiment();
    auto a = rl::make_cpu_engine(1);
    auto b = rl::make_cpu_engine(2);
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
