// Gradient-cloud throughput: samples per second of one engine on a vocabulary-like problem.
// The last line is machine-readable: "<engine> N=<n> K=<k> M=<m> <value> samples/s".
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "core/choices.hpp"
#include "core/experiment.hpp"
#include "engine/engine.hpp"

namespace {

// Zipf-shaped policy with a reward of 1 on every 100th action: the shape of one LM step, and the
// same problem the NumPy and PyTorch peers build.
rl::core::Settings bench_settings(int n, int K, int M, const std::string& baseline) {
    rl::core::Settings s;
    for (int a = 0; a < n; ++a) {
        rl::core::ActionSpec spec;
        spec.name = "a" + std::to_string(a);
        spec.reward.kind = rl::core::RewardKind::kFixed;
        spec.reward.value = a % 100 == 0 ? 1.0 : 0.0;
        s.actions.push_back(spec);
        s.init_logits.push_back(-std::log(1.0 + a));
    }
    s.estimator.K = K;
    if (!rl::core::parse_choice(baseline, s.estimator.baseline))
        throw CLI::ValidationError("--baseline", "unknown baseline " + baseline);
    s.M = M;
    s.runs = 1;
    return s;
}

// FNV-1a over the bytes of everything a cloud reports: equal digests mean bit-identical clouds,
// which is how an engine change that must not alter results is checked against the previous build.
class Digest {
  public:
    template <typename T>
    void add(const T* data, std::size_t count) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < count * sizeof(T); ++i)
            m_hash = (m_hash ^ bytes[i]) * 0x100000001B3ull;
    }
    template <typename T>
    void add(const std::vector<T>& v) {
        add(v.data(), v.size());
    }
    void add(double v) { add(&v, 1); }
    unsigned long long value() const { return m_hash; }

  private:
    unsigned long long m_hash = 0xCBF29CE484222325ull;
};

unsigned long long cloud_digest(const rl::engine::CloudResult& r) {
    Digest d;
    d.add(r.x);
    d.add(r.y);
    d.add(r.norm2);
    d.add(r.mean);
    d.add(r.histogram.counts);
    for (double v : {r.mean_x, r.mean_y, r.trace_cov, r.snr, r.uphill_share, r.mean_cosine})
        d.add(v);
    return d.value();
}

// The statistics line the peers print too, so their agreement can be read side by side.
void print_statistics(const std::string& engine, const rl::engine::CloudResult& r) {
    std::fprintf(stderr,
                 "%s: snr=%.6g trace_cov=%.6g uphill_share=%.6g mean_x=%.6g mean_cosine=%.6g "
                 "(exact snr %.6g, trace_cov %.6g)\n",
                 engine.c_str(), r.snr, r.trace_cov, r.uphill_share, r.mean_x, r.mean_cosine,
                 r.exact.snr, r.exact.trace_cov);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"REINFORCE Lab gradient-cloud benchmark"};
    std::string engine_name = "cpu";
    std::string baseline = "none";
    std::string draw = "auto";
    int n = 3, K = 64, M = 16384, threads = 0;
    double min_seconds = 1.0;
    app.add_option("--engine", engine_name, "auto, cpu or cuda");
    app.add_option("--N", n, "number of actions")->check(CLI::Range(2, 262144));
    app.add_option("--K", K, "samples per estimate")->check(CLI::Range(1, 65536));
    app.add_option("--M", M, "estimates per cloud")->check(CLI::Range(2, 1 << 24));
    app.add_option("--threads", threads, "CPU threads (0: every core)")->check(CLI::Range(0, 1024));
    app.add_option("--baseline", baseline, "baseline kind");
    app.add_option("--draw", draw,
                   "auto (the engine's cost model), samples, or counts (each action's count and "
                   "reward sum from their exact distribution)")
        ->check(CLI::IsMember({"auto", "samples", "counts"}));
    app.add_option("--seconds", min_seconds, "minimum measuring time")
        ->check(CLI::Range(0.01, 600.0));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        std::cerr << "reinforce-lab-bench: " << e.what() << "\n";
        return 2;
    }

    try {
        rl::core::Settings settings = bench_settings(n, K, M, baseline);
        if (const std::string err = rl::core::validate(settings); !err.empty()) {
            std::cerr << "reinforce-lab-bench: " << err << "\n";
            return 2;
        }
        rl::engine::EngineChoice choice = rl::engine::make_engine(engine_name, threads);
        rl::engine::Engine& engine = *choice.engine;
        engine.configure(rl::core::make_experiment(settings));
        std::cerr << choice.message << "\n";

        rl::engine::CloudRequest request;
        request.logits = settings.init_logits;
        request.K = K;
        request.M = M;
        request.draw = draw == "samples"  ? rl::engine::CloudDraw::kSamples
                       : draw == "counts" ? rl::engine::CloudDraw::kCounts
                                          : rl::engine::CloudDraw::kAuto;
        // Warm-up (pages in tables and scratch); step 0 is the same cloud on every build.
        const rl::engine::CloudResult first = engine.gradient_cloud(request);
        std::fprintf(stderr, "step-0 cloud digest %016llx; batches drawn %s\n", cloud_digest(first),
                     first.drawn_as_counts ? "as counts" : "sample by sample");

        using clock = std::chrono::steady_clock;
        const auto start = clock::now();
        double elapsed = 0.0;
        long long clouds = 0;
        rl::engine::CloudResult last;
        do {
            request.step = static_cast<std::uint32_t>(clouds + 1);
            last = engine.gradient_cloud(request);
            ++clouds;
            elapsed = std::chrono::duration<double>(clock::now() - start).count();
        } while (elapsed < min_seconds);

        const double samples = static_cast<double>(clouds) * M * K;
        const double rate = samples / elapsed;
        std::fprintf(stderr, "%lld clouds in %.3f s (%.3f ms per cloud)\n", clouds, elapsed,
                     1e3 * elapsed / static_cast<double>(clouds));
        print_statistics(std::string(engine.name()), last);
        std::printf("%s N=%d K=%d M=%d %.4g samples/s\n", std::string(engine.name()).c_str(), n, K,
                    M, rate);
    } catch (const std::exception& e) {
        std::cerr << "reinforce-lab-bench: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
