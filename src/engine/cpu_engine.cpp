#include "engine/cpu_engine.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/alias_table.hpp"
#include "core/allocation.hpp"
#include "core/exact.hpp"
#include "core/memory_estimate.hpp"
#include "core/random_streams.hpp"
#include "core/sample_draw.hpp"
#include "core/update_step.hpp"
#include "engine/batch_draw.hpp"
#include "engine/cdf_draw.hpp"
#include "engine/cloud_basis.hpp"
#include "engine/cloud_batch.hpp"
#include "engine/cloud_parts.hpp"
#include "engine/count_cloud.hpp"
#include "engine/summary_stats.hpp"

namespace rl::engine {

namespace {

// Per-run problems are cached only while they stay small (core::kMaxCachedRunProblemEntries);
// beyond that they are rebuilt per use. Cloud tasks hold about core::kSamplesPerCloudTask samples,
// whatever the thread count. Both live with the memory estimate, which counts them.
using core::kMaxCachedRunProblemEntries;
using core::kSamplesPerCloudTask;

// A training batch at least this large over at most this many actions is summed per action
// (core::estimate_gradient_by_action): there the sample-by-sample sums' chains of dependent
// additions were most of a step, and the per-action buffers stay small. Smaller batches keep the
// sample-by-sample arithmetic bit for bit.
constexpr int kByActionMinSamples = 256;
constexpr std::size_t kByActionMaxActions = 64;

// Without reward noise each action's reward is its base.
void fixed_rewards(const core::RunProblem& problem, int K, const std::uint32_t* actions,
                   double* rewards) {
    for (int k = 0; k < K; ++k)
        rewards[k] = problem.samplers[actions[k]].base;
}

// Draws K actions and rewards for one batch from the (action, reward) streams. With fixed rewards
// the actions come many Philox blocks at once (the same actions draw_sample_pair gives): at
// K = 4096 that is most of a training step.
void draw_batch(const core::AliasTable& table, const core::RunProblem& problem, bool noisy,
                const core::StreamKey& action_key, const core::StreamKey& reward_key, int K,
                std::uint32_t* actions, double* rewards) {
    if (!noisy) {
        draw_batch_actions(table.data(), table.size(), action_key, K, actions);
        fixed_rewards(problem, K, actions, rewards);
        return;
    }
    for (int k = 0; k < K; k += 2)
        core::draw_sample_pair(table.data(), table.size(), problem.samplers.data(), noisy,
                               action_key, reward_key, static_cast<std::uint32_t>(k / 2), k + 1 < K,
                               actions + k, rewards + k);
}

}  // namespace

CpuEngine::CpuEngine(int threads) : m_pool(threads), m_run_scratch(m_pool.size()) {}

std::string CpuEngine::description() const {
    std::ostringstream os;
    os << "CPU engine, " << m_pool.size() << (m_pool.size() == 1 ? " thread" : " threads");
    return os.str();
}

void CpuEngine::configure(const core::Experiment& e) {
    const auto runs_by_actions = [&e](const char* what) {
        return [&e, what] {
            std::string name = what;
            name += " (";
            name += std::to_string(e.runs);
            name += " runs x ";
            name += std::to_string(e.n);
            name += " actions)";
            return name;
        };
    };
    m_episode_cloud.reset();
    m_episodes.reset();
    m_experiment = e;
    m_run_problems.clear();
    if (core::has_per_run_rewards(e)) {
        if (e.n * static_cast<std::size_t>(e.runs) <= kMaxCachedRunProblemEntries) {
            core::allocating(runs_by_actions("each run's reward table"), [&] {
                m_run_problems.reserve(e.runs);
                for (int r = 0; r < e.runs; ++r)
                    m_run_problems.push_back(
                        core::make_run_problem(e, static_cast<std::uint32_t>(r)));
            });
        }
    } else {
        m_shared_problem = core::make_run_problem(e, 0);
    }
    core::allocating(runs_by_actions("the runs' logits"),
                     [&] { m_logits.resize(static_cast<std::size_t>(e.runs) * e.n); });
    for (int r = 0; r < e.runs; ++r)
        std::copy(e.init_logits.begin(), e.init_logits.end(),
                  m_logits.begin() + static_cast<std::ptrdiff_t>(r * e.n));
    m_running.assign(e.runs, core::RunningBaseline{e.estimator.constant_b, 0.0, 0.0});
    m_steps_done = 0;
}

bool CpuEngine::update(const core::Experiment& e) {
    const bool same_shape = e.n == m_experiment.n && e.runs == m_experiment.runs &&
                            e.parameterization == m_experiment.parameterization &&
                            e.seed == m_experiment.seed &&
                            e.arm_mean_sd == m_experiment.arm_mean_sd;
    if (!same_shape || m_logits.empty() || m_episodes) {
        configure(e);
        return true;
    }
    std::vector<double> logits = std::move(m_logits);
    std::vector<core::RunningBaseline> running = std::move(m_running);
    const int done = m_steps_done;
    configure(e);
    m_logits = std::move(logits);
    m_running = std::move(running);
    m_steps_done = done;
    return false;
}

const core::RunProblem& CpuEngine::problem_for(std::uint32_t run, core::RunProblem& storage) const {
    if (!core::has_per_run_rewards(m_experiment)) return m_shared_problem;
    if (!m_run_problems.empty()) return m_run_problems[run];
    storage = core::make_run_problem(m_experiment, run);
    return storage;
}

void CpuEngine::require_bandit(const char* call) const {
    if (m_episodes) throw bandit_call_on_episodes(call);
}

int CpuEngine::steps_done() const {
    return m_episodes ? m_episodes->steps_done() : m_steps_done;
}

std::vector<double> CpuEngine::run_logits(int run) const {
    if (m_episodes) return m_episodes->run(run).policy.logits;
    const auto begin = m_logits.begin() + static_cast<std::ptrdiff_t>(run * m_experiment.n);
    return {begin, begin + static_cast<std::ptrdiff_t>(m_experiment.n)};
}

double CpuEngine::run_running_baseline(int run) const {
    return m_episodes ? 0.0 : m_running[run].value;
}

void CpuEngine::restore(const std::vector<std::vector<double>>& logits,
                        const std::vector<core::RunningBaseline>& running, int steps_done) {
    require_bandit("restore");
    const core::Experiment& e = m_experiment;
    if (logits.size() != static_cast<std::size_t>(e.runs) || running.size() != logits.size())
        throw std::invalid_argument("restore: one logit vector and one baseline per run needed");
    for (std::size_t r = 0; r < logits.size(); ++r) {
        if (logits[r].size() != e.n) throw std::invalid_argument("restore: logits of wrong length");
        std::copy(logits[r].begin(), logits[r].end(),
                  m_logits.begin() + static_cast<std::ptrdiff_t>(r * e.n));
    }
    m_running = running;
    m_steps_done = steps_done;
}

CloudResult CpuEngine::gradient_cloud(const CloudRequest& request) {
    require_bandit("gradient_cloud");
    const core::Experiment& e = m_experiment;
    const core::EstimatorSettings& est = e.estimator;
    const int K = request.K;
    const int M = request.M;
    core::RunProblem storage;
    const core::RunProblem& problem = problem_for(request.run, storage);
    const core::PolicyPoint pt = core::make_policy_point(
        request.logits, e.parameterization, problem.rbar, problem.var, e.ref_log_probs, est);

    CloudResult result = cloud_exact_part(pt, est, K, request.axis_y_hint);
    const std::vector<double>& basis_x = result.axis_x;
    const std::vector<double>& basis_y = result.axis_y;
    const double fixed_b = core::fixed_baseline_value(pt, est, request.running_value);
    const CloudProjections proj = cloud_projections(pt, result);

    const CountPlan plan = plan_cloud_draw(pt, problem, est, K, M, request.draw);
    std::optional<CountBatches> counts;
    if (plan.use_counts) counts.emplace(plan, pt, problem, est, K, fixed_b);
    result.drawn_as_counts = plan.use_counts;
    const CloudBatchContext context{pt, basis_x, basis_y, proj, est.clip};
    std::optional<FoldedOutcomes> folded;
    if (counts && counts->one_lookup_decides()) folded = counts->fold_outcomes(context);

    // The per-sample path's own setup: its alias table and, with fixed rewards, the reward each
    // action is scored with.
    core::AliasTable table;
    std::vector<double> used_reward;
    if (!counts) {
        table = core::AliasTable(pt.pi);
        // base - shift once per action instead of once per sample (the same subtraction, so the
        // same value); one compact array instead of the samplers keeps it in cache at large N.
        if (!problem.noisy) {
            used_reward.resize(pt.n);
            for (std::size_t a = 0; a < pt.n; ++a)
                used_reward[a] = problem.samplers[a].base - pt.reward_shift[a];
        }
    }

    std::vector<double> px, py;
    core::allocating(
        [M] {
            std::string name = "the gradient cloud (M ";
            name += std::to_string(M);
            name += " batches)";
            return name;
        },
        [&] {
            result.norm2.resize(M);
            px.resize(M);
            py.resize(M);
        });

    // With folded outcomes an even number, so their pairs of batches stay within a task.
    const std::size_t per_task = kSamplesPerCloudTask / static_cast<std::size_t>(K);
    const std::size_t batches_per_task =
        folded ? std::max<std::size_t>(2, per_task / 2 * 2) : std::max<std::size_t>(1, per_task);
    const std::size_t tasks =
        (static_cast<std::size_t>(M) + batches_per_task - 1) / batches_per_task;
    std::vector<CloudTaskSums> task_sums(tasks);

    struct Scratch {
        std::vector<std::uint32_t> actions;
        std::vector<double> rewards, advantages;
        SparseAccumulator batch, task;
        CountBatches::Scratch counts;
        std::vector<std::uint64_t> tally;  // how often this worker met each folded outcome
    };
    std::vector<Scratch> scratch(m_pool.size());
    for (Scratch& s : scratch) {
        s.batch.resize(pt.n);
        s.task.resize(pt.n);
        if (counts) {
            s.counts = counts->make_scratch();
            if (folded) s.tally.assign(counts->outcomes(), 0u);
        } else {
            s.actions.resize(K);
            s.rewards.resize(K);
            s.advantages.resize(K);
        }
    }
    const double inv_k = 1.0 / K;
    m_pool.run(tasks, [&](std::size_t task, int worker) {
        Scratch& s = scratch[worker];
        CloudTaskSums& sums = task_sums[task];
        const std::size_t first = task * batches_per_task;
        const std::size_t last = std::min<std::size_t>(M, first + batches_per_task);
        for (std::size_t b = first; b < last; ++b) {
            const auto batch = static_cast<std::uint32_t>(b);
            if (folded) {
                // Tasks hold an even number of batches, so a pair never straddles two.
                std::uint32_t o[2];
                counts->draw_outcome_pair(e.seed, request.run, request.step, batch, o);
                for (std::size_t i = 0; i < 2 && b + i < last; ++i) {
                    px[b + i] = folded->px[o[i]];
                    py[b + i] = folded->py[o[i]];
                    result.norm2[b + i] = folded->norm2[o[i]];
                    ++s.tally[o[i]];
                }
                ++b;
                continue;
            }
            double mean_adv = 0.0;
            if (counts) {
                mean_adv =
                    counts->draw(e.seed, request.run, request.step, batch, s.counts, s.batch);
            } else {
                const core::StreamKey action_key{e.seed, core::Purpose::kCloudAction, request.run,
                                                 request.step, batch};
                if (problem.noisy) {
                    draw_batch(
                        table, problem, true, action_key,
                        {e.seed, core::Purpose::kCloudReward, request.run, request.step, batch}, K,
                        s.actions.data(), s.rewards.data());
                    for (int k = 0; k < K; ++k)
                        s.rewards[k] -= pt.reward_shift[s.actions[k]];
                } else {
                    draw_batch_actions(table.data(), table.size(), action_key, K, s.actions.data());
                    for (int k = 0; k < K; ++k)
                        s.rewards[k] = used_reward[s.actions[k]];
                }
                core::compute_advantages(est.baseline, fixed_b, s.rewards, s.advantages);
                for (int k = 0; k < K; ++k) {
                    s.batch.add(s.actions[k], s.advantages[k] * inv_k);
                    mean_adv += s.advantages[k] * inv_k;
                }
            }
            fold_batch(context, s.batch, mean_adv, s.task, sums, px[b], py[b], result.norm2[b]);
        }
        sums.sparse.reserve(s.task.touched.size());
        for (std::uint32_t a : s.task.touched)
            sums.sparse.emplace_back(a, s.task.value[a]);
        s.task.clear();
    });

    // Combine in task order: the sums do not depend on which worker ran which task.
    std::vector<double> sparse(pt.n, 0.0);
    double scaled_mean_adv = 0.0, scale_sum = 0.0;
    for (const CloudTaskSums& t : task_sums) {
        for (const auto& [a, v] : t.sparse)
            sparse[a] += v;
        scaled_mean_adv += t.scaled_mean_adv;
        scale_sum += t.scale;
    }
    if (folded) {
        std::vector<std::uint64_t> tally(counts->outcomes(), 0u);
        for (const Scratch& s : scratch)
            for (std::size_t o = 0; o < tally.size(); ++o)
                tally[o] += s.tally[o];
        add_tally(*folded, tally, sparse, scaled_mean_adv, scale_sum);
    }
    finish_cloud(result, pt, px, py, sparse, scaled_mean_adv, scale_sum);
    const double g_norm = std::sqrt(core::dot_dim(pt, result.true_gradient, result.true_gradient));
    result.histogram = cloud_histogram(result.x, result.y, request.histogram_bins, g_norm);
    return result;
}

struct CpuEngine::RunOutcome {
    double J = 0.0;
    double best_is_likeliest = 0.0;  // 1 if a best action is most likely; shared out on ties
    int best_samples = 0;
    bool diverged = false;
    std::string why;
};

void CpuEngine::step_run(std::uint32_t run, RunScratch& scratch, RunOutcome& out,
                         double* tracked_probs, std::size_t tracked_stride, StepDetail* detail) {
    const core::Experiment& e = m_experiment;
    const core::EstimatorSettings& est = e.estimator;
    core::RunProblem storage;
    const core::RunProblem& problem = problem_for(run, storage);
    std::span<double> logits(m_logits.data() + static_cast<std::size_t>(run) * e.n, e.n);
    const core::PolicyPoint pt = core::make_policy_point(logits, e.parameterization, problem.rbar,
                                                         problem.var, e.ref_log_probs, est);
    out.J = pt.raw_J;
    // The summary describes the policy this step samples from, before the update.
    for (std::size_t i = 0; i < e.tracked_actions.size(); ++i)
        tracked_probs[i * tracked_stride] = pt.pi[e.tracked_actions[i]];
    // Ties (a uniform start) share the credit, as a random tie-break would on average.
    const double top = *std::max_element(pt.pi.begin(), pt.pi.end());
    int tied = 0, tied_best = 0;
    for (std::uint32_t a = 0; a < e.n; ++a) {
        if (pt.pi[a] != top) continue;
        ++tied;
        if (std::find(problem.best.begin(), problem.best.end(), a) != problem.best.end())
            ++tied_best;
    }
    out.best_is_likeliest = static_cast<double>(tied_best) / tied;

    const int K = est.K;
    std::vector<std::uint32_t>& actions = scratch.actions;
    std::vector<double>& rewards = scratch.rewards;
    std::vector<double>& used = scratch.used;
    actions.resize(K);
    rewards.resize(K);
    used.resize(K);
    const auto step = static_cast<std::uint32_t>(m_steps_done);
    const core::StreamKey action_key{e.seed, core::Purpose::kTrainAction, run, step, 0};
    if (!problem.noisy && cheaper_by_cdf(K, e.n)) {
        draw_batch_by_cdf(pt.pi, action_key, K, actions.data(), scratch.sorted_uniforms);
        fixed_rewards(problem, K, actions.data(), rewards.data());
    } else {
        const core::AliasTable table(pt.pi);
        draw_batch(table, problem, problem.noisy, action_key,
                   {e.seed, core::Purpose::kTrainReward, run, step, 0}, K, actions.data(),
                   rewards.data());
    }
    core::RunningBaseline& running = m_running[run];
    core::UpdateScratch& update = scratch.update;
    core::UpdateOutcome outcome;
    // Many samples over few actions: summed per action (the step detail, which shows every
    // sample's advantage, and the running baseline take them one by one).
    if (!detail && K >= kByActionMinSamples && e.n <= kByActionMaxActions &&
        est.baseline != core::BaselineKind::kRunning) {
        outcome = core::estimate_gradient_by_action(
            pt, actions, rewards, est, core::fixed_baseline_value(pt, est, 0.0), update);
        for (const std::uint32_t a : problem.best)
            out.best_samples += update.counts[a];
    } else {
        for (int k = 0; k < K; ++k) {
            used[k] = rewards[k] - pt.reward_shift[actions[k]];
            if (std::find(problem.best.begin(), problem.best.end(), actions[k]) !=
                problem.best.end())
                ++out.best_samples;
        }
        const double fixed_b = est.baseline == core::BaselineKind::kRunning
                                   ? running.baseline_for_step(est.running_mode, used)
                                   : core::fixed_baseline_value(pt, est, 0.0);
        outcome = core::estimate_gradient(pt, actions, rewards, est, fixed_b, update);
    }

    std::vector<double> before;
    if (detail) before.assign(logits.begin(), logits.end());
    const bool finite_gradient = std::all_of(update.gradient.begin(), update.gradient.end(),
                                             [](double g) { return std::isfinite(g); });
    if (!finite_gradient || !core::apply_gradient(logits, update.gradient, pt.dim, est.lr)) {
        out.diverged = true;
        std::ostringstream os;
        os << "run " << run << " diverged at step " << m_steps_done + 1 << ": "
           << (finite_gradient ? "a logit would overflow (learning rate too large?)"
                               : "the gradient is not finite (rewards too large?)");
        out.why = os.str();
    } else if (est.baseline == core::BaselineKind::kRunning) {
        running.observe(est.running_mode, est.running_decay, used);
    }

    if (detail) {
        detail->step = m_steps_done + 1;
        detail->dim = pt.dim;
        detail->actions = actions;
        detail->rewards = rewards;
        detail->rewards_used = update.rewards_used;
        detail->baselines = update.terms.baselines;
        detail->spread = update.terms.spread;
        detail->advantages = update.advantages;
        detail->baseline = outcome.baseline;
        detail->mean_advantage = outcome.mean_advantage;
        detail->sampled_weight.assign(e.n, 0.0);
        for (int k = 0; k < K; ++k)
            detail->sampled_weight[actions[k]] += update.advantages[k] * (1.0 / K);
        detail->ref_probs.clear();
        if (est.kl_beta > 0.0)
            for (double log_ref : e.ref_log_probs)
                detail->ref_probs.push_back(std::exp(log_ref));
        detail->kl = pt.kl;
        detail->entropy = pt.entropy;
        detail->deterministic = pt.deterministic;
        detail->raw_norm = outcome.raw_norm;
        detail->clip_scale = outcome.clip_scale;
        detail->gradient = update.gradient;
        detail->true_gradient = core::objective_gradient(pt);
        detail->logits_before = std::move(before);
        detail->logits_after.assign(logits.begin(), logits.end());
        detail->probs_before = pt.pi;
        detail->probs_after = core::softmax(detail->logits_after);
    }
}

TrainingAdvance CpuEngine::advance(int steps) {
    require_bandit("advance");
    TrainingAdvance result;
    const core::Experiment& e = m_experiment;
    const auto runs = static_cast<std::size_t>(e.runs);
    std::vector<RunOutcome> outcomes(runs);
    std::vector<double> column(runs);
    const std::size_t tracked = e.tracked_actions.size();
    std::vector<double> tracked_probs(runs * tracked);

    for (int s = 0; s < steps; ++s) {
        const bool last = s + 1 == steps;
        m_pool.run(runs, [&](std::size_t r, int worker) {
            outcomes[r] = RunOutcome{};
            step_run(static_cast<std::uint32_t>(r), m_run_scratch[worker], outcomes[r],
                     tracked_probs.data() + r, runs, last && r == 0 ? &result.run0 : nullptr);
        });

        StepSummary summary;
        summary.step = m_steps_done + 1;
        double best_likeliest = 0.0;
        long long best_samples = 0;
        for (std::size_t r = 0; r < runs; ++r) {
            column[r] = outcomes[r].J;
            best_likeliest += outcomes[r].best_is_likeliest;
            best_samples += outcomes[r].best_samples;
            if (outcomes[r].diverged && !result.diverged) {
                result.diverged = true;
                result.divergence = outcomes[r].why;
            }
        }
        summary.J = summarize(column);
        summary.best_prob_share = best_likeliest / static_cast<double>(runs);
        summary.opt_action_share =
            static_cast<double>(best_samples) / (static_cast<double>(runs) * e.estimator.K);
        summary.action_probs.resize(tracked);
        for (std::size_t i = 0; i < tracked; ++i)
            summary.action_probs[i] =
                summarize(std::span<double>(tracked_probs.data() + i * runs, runs));
        result.steps.push_back(std::move(summary));
        ++m_steps_done;
        if (result.diverged) break;
    }
    return result;
}

}  // namespace rl::engine
