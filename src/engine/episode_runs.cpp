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

}  // namespace rl::engine
