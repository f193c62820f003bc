#include "engine/episode_runs.hpp"

#include <algorithm>
#include <cmath>

#include "core/exact.hpp"
#include "engine/summary_stats.hpp"

namespace rl::engine {

namespace {

// P(decision t picks one of `best` | decision t is made), from the policy's occupancy.
double decision_prob(const core::EpisodeModel& model, const core::EpisodePolicy& policy,
                     const core::EpisodeValues& v, int t, const std::vector<std::uint32_t>& best) {
    double reach = 0.0, p = 0.0;
    for (std::uint32_t x = 0; x < v.situations; ++x) {
        const double d = v.occupancy_at(t, x);
        if (d == 0.0) continue;
        reach += d;
        const std::span<const double> pi = policy.block_probs(model.block(t, x));
        for (const std::uint32_t a : best)
            p += d * pi[a];
    }
    return reach > 0.0 ? p / reach : 0.0;
}

// The actions whose value, averaged over where decision t is made, is the highest (ties within
// a relative 1e-9 all count: three tokens that are all fine are all best).
std::vector<std::vector<std::uint32_t>> best_per_decision(const core::EpisodeModel& model,
                                                          const core::EpisodePolicy& policy) {
    const core::EpisodeValues v = core::episode_values(model, policy);
    std::vector<std::vector<std::uint32_t>> best(static_cast<std::size_t>(model.horizon()));
    std::vector<core::EpisodeOutcome> outcomes;
    for (int t = 0; t < model.horizon(); ++t) {
        std::vector<double> q(model.actions(), 0.0);
        double reach = 0.0;
        for (std::uint32_t x = 0; x < v.situations; ++x) {
            const double d = v.occupancy_at(t, x);
            if (d == 0.0) continue;
            reach += d;
            for (std::uint32_t a = 0; a < model.actions(); ++a)
                q[a] += d * core::action_value(model, v, t, x, a, outcomes);
        }
        const double top = *std::max_element(q.begin(), q.end());
        const double tolerance = 1e-9 * std::max(std::abs(top), reach);
        for (std::uint32_t a = 0; a < model.actions(); ++a)
            if (q[a] >= top - tolerance) best[static_cast<std::size_t>(t)].push_back(a);
    }
    return best;
}

constexpr std::size_t kChunk = 64;  // batches per task

// Batches per measuring task: at least kChunk, and at most 64 tasks, each holding a gradient-
// sized sum.
std::size_t measurement_chunk(std::size_t batches) {
    return std::max(kChunk, (batches + 63) / 64);
}

std::size_t chunks_of(std::size_t batches) {
    return (batches + kChunk - 1) / kChunk;
}

}  // namespace

EpisodeRuns::EpisodeRuns(const core::Settings& settings, ThreadPool& pool)
    : m_settings(settings), m_problem(core::make_episode_problem(settings)), m_pool(&pool) {
    m_runs.reserve(static_cast<std::size_t>(settings.runs));
    for (int r = 0; r < settings.runs; ++r)
        m_runs.push_back(core::start_run(*m_problem.model, m_problem.initial, settings.estimator));
    m_best = best_per_decision(*m_problem.model, m_problem.initial);
}

std::string EpisodeRuns::advance() {
    std::vector<std::string> errors(m_runs.size());
    m_pool->run(m_runs.size(), [&](std::size_t r, int) {
        const core::StreamKey key{m_settings.seed, core::Purpose::kEpisodeTrain,
                                  static_cast<std::uint32_t>(r),
                                  static_cast<std::uint32_t>(m_steps), 0};
        errors[r] =
            core::episode_train_step(*m_problem.model, m_problem.reference_log_probs, m_runs[r],
                                     m_settings.estimator, key, r == 0 ? &m_run0_record : nullptr);
    });
    ++m_steps;
    for (std::size_t r = 0; r < errors.size(); ++r)
        if (!errors[r].empty())
            return "run " + std::to_string(r) + ", step " + std::to_string(m_steps) + ": " +
                   errors[r];
    return {};
}

EpisodeStepSummary EpisodeRuns::summary() const {
    EpisodeStepSummary s;
    s.step = m_steps;
    const std::size_t R = m_runs.size();
    const auto T = static_cast<std::size_t>(m_problem.model->horizon());
    std::vector<double> J(R);
    std::vector<std::vector<double>> best(T, std::vector<double>(R));
    std::vector<char> greedy(R, 1);
    const std::size_t cells = m_problem.model->blocks() * m_problem.model->actions();
    if (cells <= kMaxSummaryPolicyCells) s.block_probs_p50.resize(cells);
    std::vector<std::vector<double>> block_probs(s.block_probs_p50.size(), std::vector<double>(R));
    const core::EpisodeModel& model = *m_problem.model;
    m_pool->run(R, [&](std::size_t r, int) {
        const core::EpisodeValues v = core::episode_values(model, m_runs[r].policy);
        J[r] = v.J;
        for (std::size_t i = 0; i < block_probs.size(); ++i)
            block_probs[i][r] = m_runs[r].policy.probs[i];
        for (std::size_t t = 0; t < T; ++t) {
            const int ti = static_cast<int>(t);
            best[t][r] = decision_prob(model, m_runs[r].policy, v, ti, m_best[t]);
            // The most likely choice is the best one wherever decision t can be made.
            for (std::uint32_t x = 0; x < v.situations && greedy[r]; ++x) {
                if (v.occupancy_at(ti, x) == 0.0) continue;
                // Strictly: a tie with a worse action (the uniform start) is no choice yet.
                const std::span<const double> pi = m_runs[r].policy.block_probs(model.block(ti, x));
                const std::vector<std::uint32_t>& good = m_best[t];
                const std::size_t top =
                    static_cast<std::size_t>(std::max_element(pi.begin(), pi.end()) - pi.begin());
                for (std::size_t a = 0; a < pi.size(); ++a) {
                    const bool is_good = std::find(good.begin(), good.end(), a) != good.end();
                    if (!is_good && pi[a] >= pi[top]) greedy[r] = 0;
                }
            }
        }
    });
    s.J = summarize(J);
    s.greedy_best_share =
        static_cast<double>(std::count(greedy.begin(), greedy.end(), 1)) / static_cast<double>(R);
    for (std::size_t t = 0; t < T; ++t)
        s.best_prob_p50.push_back(summarize(best[t]).p50);
    for (std::size_t i = 0; i < block_probs.size(); ++i)
        s.block_probs_p50[i] = summarize(block_probs[i]).p50;
    return s;
}

EpisodeBatches sample_episode_batches(const core::EpisodeModel& model,
                                      const core::EpisodePolicy& policy, int K, int M,
                                      std::uint64_t seed, ThreadPool& pool, std::uint32_t step) {
    EpisodeBatches batches(static_cast<std::size_t>(M),
                           std::vector<core::SampledEpisode>(static_cast<std::size_t>(K)));
    pool.run(chunks_of(batches.size()), [&](std::size_t c, int) {
        std::vector<core::EpisodeOutcome> scratch;
        for (std::size_t m = c * kChunk; m < std::min((c + 1) * kChunk, batches.size()); ++m) {
            const core::StreamKey key{seed, core::Purpose::kEpisodeCloud, 0, step,
                                      static_cast<std::uint32_t>(m)};
            for (std::uint32_t k = 0; k < batches[m].size(); ++k)
                core::sample_episode(model, policy, key, k, scratch, batches[m][k]);
        }
    });
    return batches;
}

EpisodeMeasurement measure_episode_estimator(const core::EpisodeObjective& objective,
                                             const core::EpisodePolicy& policy,
                                             const core::EpisodeValues& values,
                                             const core::EstimatorSettings& settings,
                                             const EpisodeBatches& batches, ThreadPool& pool,
                                             const MeasureOptions& options) {
    EpisodeMeasurement out;
    const core::EpisodeModel& model = objective.sampled();
    const int M = static_cast<int>(batches.size());
    out.batches = M;
    const std::size_t n = policy.logits.size();
    core::EpisodeRunState run;
    if (options.memory) {
        run = *options.memory;
        run.policy = policy;
    } else {
        run = core::start_run(model, policy, settings);
    }
    core::EpisodeBaselineInputs inputs;
    out.error = core::episode_baseline_inputs(model, run, values, settings, inputs);
    if (!out.error.empty() || M == 0) return out;
    const core::EpisodeEstimator e = core::episode_estimator(settings);
    // Sums per chunk, not every estimate: a chunk's sum of g, of |g - G|^2 and of the uphill and
    // cosine terms, combined in chunk order. |g - G|^2 about the exact gradient G keeps the
    // trace free of cancellation when the mean is large beside the spread.
    // The objective's gradient: the sampled problem's plus the sample-free part.
    std::vector<double> G = values.gradient;
    for (std::size_t i = 0; i < objective.deterministic.size(); ++i)
        G[i] += objective.deterministic[i];
    double g_norm = 0.0;
    for (const double x : G)
        g_norm += x * x;
    g_norm = std::sqrt(g_norm);
    const std::size_t size = measurement_chunk(batches.size());
    const std::size_t chunks = (batches.size() + size - 1) / size;
    struct Part {
        std::vector<double> sum;
        double spread = 0.0, uphill = 0.0, cosine = 0.0;
    };
    std::vector<Part> parts(chunks);
    pool.run(chunks, [&](std::size_t c, int) {
        Part& part = parts[c];
        part.sum.assign(n, 0.0);
        std::vector<double> g(n);
        for (std::size_t m = c * size; m < std::min((c + 1) * size, batches.size()); ++m) {
            core::episode_gradient(model, policy, e, inputs, batches[m], g);
            core::finish_episode_estimate(objective, g);
            if (options.sink) options.sink(m, g);
            double along = 0.0, norm = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                part.sum[i] += g[i];
                part.spread += (g[i] - G[i]) * (g[i] - G[i]);
                along += g[i] * G[i];
                norm += g[i] * g[i];
            }
            part.uphill += along > 0.0 ? 1.0 : 0.0;
            if (norm > 0.0 && g_norm > 0.0) part.cosine += along / (std::sqrt(norm) * g_norm);
        }
    });
    out.mean.assign(n, 0.0);
    double spread = 0.0, uphill = 0.0, cosine = 0.0;
    for (const Part& part : parts) {
        for (std::size_t i = 0; i < n; ++i)
            out.mean[i] += part.sum[i];
        spread += part.spread;
        uphill += part.uphill;
        cosine += part.cosine;
    }
    double off = 0.0;  // |mean - G|^2
    for (std::size_t i = 0; i < n; ++i) {
        out.mean[i] /= M;
        off += (out.mean[i] - G[i]) * (out.mean[i] - G[i]);
    }
    out.trace_cov = M > 1 ? std::max(0.0, (spread - M * off) / (M - 1.0)) : 0.0;
    out.uphill_share = uphill / M;
    out.mean_cosine = cosine / M;
    double mean_norm = 0.0;
    for (const double x : out.mean)
        mean_norm += x * x;
    mean_norm = std::sqrt(mean_norm);
    out.snr = core::signal_to_noise(mean_norm, out.trace_cov);
    out.snr_reason = core::snr_undefined_reason(mean_norm, out.trace_cov);
    return out;
}

}  // namespace rl::engine
