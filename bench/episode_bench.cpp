// Episodes per second of the CPU engine's training, through the Engine interface the window and
// the CLI use: token sequences with per-position logits, V tokens of random fixed rewards, T
// positions, R runs of K episodes a step. Prints one line per size and thread count, then the
// work a window frame does at the token-chain preset's defaults: one training step of every run
// and one gradient cloud at run 0's policy.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "engine/engine.hpp"

namespace {

rl::core::Settings tokens(int V, int T, int runs, int K) {
    rl::core::Settings s;
    s.problem = rl::core::ProblemKind::kTokens;
    s.length = T;
    for (int v = 0; v < V; ++v) {
        rl::core::ActionSpec a;
        a.name = "t" + std::to_string(v);
        a.reward.value = static_cast<double>((v * 7919) % 11) / 10.0;
        s.actions.push_back(a);
    }
    s.init_logits.assign(static_cast<std::size_t>(V), 0.0);
    s.runs = runs;
    s.estimator.K = K;
    s.estimator.credit = rl::core::Credit::kRewardToGo;
    s.estimator.baseline = rl::core::BaselineKind::kRloo;
    return s;
}

// Calls `work` until `seconds` have passed; returns seconds per call.
double time_calls(const std::function<void()>& work, double seconds) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    int calls = 0;
    double elapsed = 0.0;
    do {
        work();
        ++calls;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return elapsed / calls;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"REINFORCE Lab episode benchmark"};
    double seconds = 2.0;
    int runs = 64, K = 16;
    app.add_option("--seconds", seconds, "measuring time per line")->check(CLI::Range(0.1, 600.0));
    app.add_option("--runs", runs, "training runs")->check(CLI::Range(1, 4096));
    app.add_option("--K", K, "episodes per run and step")->check(CLI::Range(2, 4096));
    CLI11_PARSE(app, argc, argv);
    std::printf("V,T,engine,runs,K,episodes_per_s,decisions_per_s\n");
    for (const int V : {4, 64}) {
        for (const int T : {8, 64}) {
            for (const int threads : {1, 0}) {
                const std::unique_ptr<rl::engine::Engine> engine =
                    rl::engine::make_cpu_engine(threads);
                engine->configure_episodes(tokens(V, T, runs, K));
                const double per_step = time_calls([&] { engine->advance_episodes(1); }, seconds);
                const double episodes = static_cast<double>(runs) * K / per_step;
                std::printf("%d,%d,%s,%d,%d,%.0f,%.0f\n", V, T, engine->description().c_str(), runs,
                            K, episodes, episodes * T);
            }
        }
    }
    // The token-chain preset: 256 runs x 4 episodes of 8 tokens, full return, no baseline; the
    // preset draws clouds of M = 4096 estimates; 1024 is a lighter frame.
    rl::core::Settings chain = tokens(2, 8, 256, 4);
    chain.estimator.credit = rl::core::Credit::kFullReturn;
    chain.estimator.baseline = rl::core::BaselineKind::kNone;
    const std::unique_ptr<rl::engine::Engine> engine = rl::engine::make_cpu_engine(0);
    engine->configure_episodes(chain);
    const double step_s = time_calls([&] { engine->advance_episodes(1); }, seconds);
    for (const int M : {1024, 4096}) {
        rl::engine::EpisodeCloudRequest request;
        request.K = 4;
        request.M = M;
        std::uint32_t step = 0;
        const double cloud_s = time_calls(
            [&] {
                request.logits = engine->run_logits(0);
                request.step = step++;
                engine->episode_cloud(request);
            },
            seconds);
        std::printf(
            "token-chain frame (%s): a step of 256 runs x K 4, T 8: %.3f ms; a cloud of "
            "M %d x K 4: %.3f ms; both: %.3f ms of 16.7\n",
            engine->description().c_str(), 1e3 * step_s, M, 1e3 * cloud_s,
            1e3 * (step_s + cloud_s));
    }
    return 0;
}
