// Episodes per second of the CPU engine's training (engine/episode_runs): token sequences with
// per-position logits, V tokens of random fixed rewards, T positions, R runs of K episodes a step.
// Prints one line per size and thread count, and the milliseconds one training step of the
// token-chain preset takes (the work a frame of the window would do).

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "engine/episode_runs.hpp"

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

// Steps until `seconds` have passed; returns seconds per step.
double time_steps(rl::engine::EpisodeRuns& runs, double seconds) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    int steps = 0;
    double elapsed = 0.0;
    do {
        runs.advance();
        ++steps;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return elapsed / steps;
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
    std::printf("V,T,threads,runs,K,episodes_per_s,decisions_per_s\n");
    for (const int V : {4, 64}) {
        for (const int T : {8, 64}) {
            for (const int threads : {1, 0}) {
                rl::engine::EpisodeRuns r(tokens(V, T, runs, K), threads);
                const double per_step = time_steps(r, seconds);
                const double episodes = static_cast<double>(runs) * K / per_step;
                std::printf("%d,%d,%d,%d,%d,%.0f,%.0f\n", V, T, r.pool().size(), runs, K, episodes,
                            episodes * T);
            }
        }
    }
    // The token-chain preset's step: 256 runs x 4 episodes of 8 tokens, full return, no baseline.
    rl::core::Settings chain = tokens(2, 8, 256, 4);
    chain.estimator.credit = rl::core::Credit::kFullReturn;
    chain.estimator.baseline = rl::core::BaselineKind::kNone;
    rl::engine::EpisodeRuns r(chain, 0);
    std::printf("token-chain step (256 runs x K 4, T 8, %d threads): %.3f ms\n", r.pool().size(),
                1e3 * time_steps(r, seconds));
    // And its cloud: M = 4096 estimates of K = 4 episodes at run 0's policy, as the window would
    // draw each step.
    using Clock = std::chrono::steady_clock;
    const rl::core::EpisodeObjective objective = rl::core::episode_objective(
        r.model(), r.run(0).policy, r.reference_log_probs(), chain.estimator);
    const rl::core::EpisodeValues values = rl::core::episode_values(r.model(), r.run(0).policy);
    int clouds = 0;
    const auto start = Clock::now();
    double elapsed = 0.0;
    do {
        const rl::engine::EpisodeBatches batches =
            rl::engine::sample_episode_batches(r.model(), r.run(0).policy, 4, 4096, 1, r.pool());
        rl::engine::measure_episode_estimator(objective, r.run(0).policy, values, chain.estimator,
                                              batches, r.pool());
        ++clouds;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    std::printf("token-chain cloud (M 4096 x K 4, %d threads): %.3f ms\n", r.pool().size(),
                1e3 * elapsed / clouds);
    return 0;
}
