// CPU and CUDA engines on the same seeds draw the same samples (shared Philox keying and
// sample_draw.hpp), so they agree to rounding. The bounds: both accumulate in double, but the
// device sums a batch in warp order and per-action sums by atomics, and its log/sin/cos (Box-
// Muller) and exp may differ from glibc's by an ulp or two; each sum over K <= 64 samples and
// M <= 20,000 batches then differs by a relative 1e-12 or so. We allow 1e-9 relative (1e-12
// absolute for values near 0). The float x, y round those doubles, so they agree to 1e-6 relative.
// A point within that of a bin edge may change bins: counts may differ by a few in total.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/choices.hpp"
#include "core/experiment.hpp"
#include "engine/cuda/cuda_device.hpp"
#include "engine/cuda/cuda_engine.hpp"
#include "engine/engine.hpp"
#include "support/sessions.hpp"

namespace {

bool close(double a, double b, double rel) {
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + 1e-12;
}

rl::core::Experiment parity_experiment(rl::core::BaselineKind baseline, double clip) {
    rl::core::Settings s = rl_test::make_settings(
        {rl_test::gaussian_reward(1.0, 2.0), rl_test::bernoulli_reward(0.4, -1, 3),
         rl_test::fixed_reward(0.5), rl_test::gaussian_reward(-0.5, 0.7),
         rl_test::bernoulli_reward(0.8, 0, 2)},
        {0.1, -0.3, 0.4, 0.0, -0.2}, rl::core::Parameterization::kPinnedLast);
    s.reference_logits = {0.0, 0.0, 0.0, 0.0, 0.0};
    s.estimator.K = 7;
    s.estimator.baseline = baseline;
    s.estimator.kl_beta = 0.1;
    s.estimator.kl_mode = rl::core::KlMode::kReward;
    s.estimator.clip = clip;
    s.runs = 16;
    s.seed = 0xC0FFEEull;
    REQUIRE(rl::core::validate(s).empty());
    return rl::core::make_experiment(s);
}

// The reason a CUDA test cannot run here, or empty when a device answers.
std::string skip_reason() {
    const rl::engine::CudaProbe probe = rl::engine::probe_cuda_device();
    return probe.available ? std::string{} : "no CUDA device (" + probe.reason + ")";
}

}  // namespace

TEST_CASE("CUDA cloud matches the CPU cloud on the same seeds") {
    if (const std::string why = skip_reason(); !why.empty()) {
        MESSAGE("SKIPPED: " << why);
        return;
    }
    for (rl::core::BaselineKind kind : rl::core::kBanditBaselines) {
        for (double clip : {0.0, 0.5}) {
            INFO("baseline " << rl::core::to_string(kind) << " clip " << clip);
            const rl::core::Experiment e = parity_experiment(kind, clip);
            auto cpu = rl::engine::make_cpu_engine(2);
            auto cuda = rl::engine::make_cuda_engine();
            cpu->configure(e);
            cuda->configure(e);
            rl::engine::CloudRequest r;
            r.logits = e.init_logits;
            r.run = 3;
            r.step = 11;
            r.K = 7;
            r.M = 20000;
            r.running_value = 0.25;
            // The device draws sample by sample; the CPU is asked to as well.
            r.draw = rl::engine::CloudDraw::kSamples;
            const rl::engine::CloudResult a = cpu->gradient_cloud(r);
            const rl::engine::CloudResult b = cuda->gradient_cloud(r);
            REQUIRE(a.x.size() == b.x.size());
            int far = 0;
            for (std::size_t i = 0; i < a.x.size(); ++i)
                far += !close(a.x[i], b.x[i], 1e-6) || !close(a.y[i], b.y[i], 1e-6) ||
                       !close(a.norm2[i], b.norm2[i], 1e-9);
            CHECK(far == 0);
            for (std::size_t i = 0; i < a.mean.size(); ++i)
                CHECK(close(a.mean[i], b.mean[i], 1e-9));
            CHECK(close(a.mean_x, b.mean_x, 1e-9));
            CHECK(close(a.trace_cov, b.trace_cov, 1e-9));
            CHECK(close(a.snr, b.snr, 1e-9));
            CHECK(a.uphill_share == doctest::Approx(b.uphill_share).epsilon(1e-3));
            long moved = 0;
            REQUIRE(a.histogram.counts.size() == b.histogram.counts.size());
            for (std::size_t i = 0; i < a.histogram.counts.size(); ++i)
                moved += std::labs(static_cast<long>(a.histogram.counts[i]) -
                                   static_cast<long>(b.histogram.counts[i]));
            CHECK(moved <= 4);
        }
    }
}

TEST_CASE("CUDA training matches the CPU engine after 20 steps") {
    if (!rl::engine::kCudaTrainsOnDevice) {
        MESSAGE(
            "SKIPPED: the CUDA engine trains on a CPU engine inside it, so this would compare "
            "the CPU engine with itself; it runs once training runs on the device");
        return;
    }
    if (const std::string why = skip_reason(); !why.empty()) {
        MESSAGE("SKIPPED: " << why);
        return;
    }
    const rl::core::Experiment e = parity_experiment(rl::core::BaselineKind::kRloo, 0.0);
    auto cpu = rl::engine::make_cpu_engine(2);
    auto cuda = rl::engine::make_cuda_engine();
    cpu->configure(e);
    cuda->configure(e);
    const rl::engine::TrainingAdvance a = cpu->advance(20);
    const rl::engine::TrainingAdvance b = cuda->advance(20);
    REQUIRE(a.steps.size() == b.steps.size());
    for (std::size_t s = 0; s < a.steps.size(); ++s) {
        CHECK(close(a.steps[s].J.mean, b.steps[s].J.mean, 1e-9));
        CHECK(close(a.steps[s].J.p10, b.steps[s].J.p10, 1e-9));
        CHECK(close(a.steps[s].J.p50, b.steps[s].J.p50, 1e-9));
        CHECK(close(a.steps[s].J.p90, b.steps[s].J.p90, 1e-9));
    }
    for (int r = 0; r < e.runs; ++r) {
        const std::vector<double> la = cpu->run_logits(r), lb = cuda->run_logits(r);
        for (std::size_t i = 0; i < la.size(); ++i)
            CHECK(close(la[i], lb[i], 1e-9));
    }
}

TEST_CASE("CUDA sources are compiled in wherever nvcc is installed") {
    const bool nvcc_here = std::filesystem::exists("/usr/local/cuda/bin/nvcc") ||
                           std::system("command -v nvcc > /dev/null 2>&1") == 0;
#if defined(RL_HAVE_CUDA)
    CHECK(rl::engine::cuda_build_version() >= 11000);
    CHECK(rl::engine::probe_cuda_device().reason.find("no CUDA support") == std::string::npos);
#else
    // A CPU-only build is right only where no nvcc could have built the kernels, or where CUDA was
    // turned off on purpose (the sanitizer build) and the build says so.
    const bool turned_off =
        rl::engine::probe_cuda_device().reason.find("RL_WITH_CUDA=OFF") != std::string::npos;
    CHECK((!nvcc_here || turned_off));
    CHECK(rl::engine::cuda_build_version() == 0);
#endif
    if (!nvcc_here) MESSAGE("nvcc is not installed here; only the CPU-only build was checked");
}
