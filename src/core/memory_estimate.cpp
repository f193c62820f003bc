#include "core/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>

#include "core/alias_table.hpp"
#include "core/experiment.hpp"
#include "core/reward_model.hpp"

namespace rl::core {

namespace {

constexpr double kDouble = sizeof(double);

// How many copies of each thing a run holds at once. The window's runner keeps its own state,
// the results it is filling, the latest published and one spare (live/published_results), and
// each of those copies the settings twice (the settings and the timeline's last entry); the
// panels hold a draft and the lesson its base. Headless: the plan's settings, the experiment and
// the reward tables of the two engines (the run's own copies come and go between them).
struct Copies {
    double settings, experiment, problem, results;
};
constexpr Copies kWindowCopies{11, 4, 3, 4};
constexpr Copies kHeadlessCopies{1, 2, 2, 1};

// summary.csv: a number as %.10g with its comma is at most 17 characters and mostly 12 to 16;
// the text grows by doubling, so its buffer can be twice what it holds.
constexpr double kCsvBytesPerField = 16.0;
constexpr double kCsvGrowth = 2.0;
constexpr std::size_t kCsvFixedColumns = 7;  // step, J mean and quantiles, the two shares
constexpr std::size_t kCsvColumnsPerAction = 4;
// A vector grown by push_back can hold up to twice what it has.
constexpr double kVectorGrowth = 2.0;

std::string times(double a, const char* what) {
    std::string text = std::to_string(static_cast<long long>(a));
    text += ' ';
    text += what;
    return text;
}

int resolved_threads(int threads) {
    if (threads > 0) return threads;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::size_t tracked_count(std::size_t n) {
    return std::min(n, kMaxTrackedActions);
}

// Bytes per action that the settings, the resolved experiment and the reward tables take, and
// the N-long buffers the engines and the results keep (policy points, alias tables, gradients,
// the cloud's axes and mean, the step detail), per copy or per worker as they are kept.
double per_action_bytes(const Settings& s, const Copies& copies, int threads, bool window) {
    double name_bytes = 0.0;
    for (const ActionSpec& a : s.actions)
        if (a.name.size() > 15) name_bytes += static_cast<double>(a.name.size() + 1);
    const double n = static_cast<double>(s.actions.size());
    const double settings =
        sizeof(ActionSpec) + name_bytes / n + kDouble * (s.reference_logits.empty() ? 1 : 2);
    const double experiment = sizeof(RewardModel) + 2 * kDouble;  // rewards, init, reference
    const double problem = 2 * kDouble + sizeof(RewardSampler);   // rbar, var, sampler
    // A worker's step: a policy point (pi, log pi, rbar, var, shift, deterministic), an alias
    // table and its gradient; a cloud's worker: two dense accumulators and their touched lists.
    const double step_worker = 6 * kDouble + sizeof(AliasEntry) + kDouble;
    const double cloud_worker = 2 * (kDouble + 1 + 4);
    const double worker = std::max(step_worker, cloud_worker);
    // The cloud's own: a policy point, alias table, sums, rewards; its result's true gradient,
    // axes and mean. The step detail: logits and probabilities before and after, two gradients.
    const double cloud = 6 * kDouble + sizeof(AliasEntry) + 2 * kDouble;
    const double cloud_result = 4 * kDouble;
    const double detail = 6 * kDouble;
    // The window: run 0's probabilities per copy, and the SNR probe's engine has its own logits.
    const double window_extra = window ? kDouble * copies.results + kDouble : kDouble;
    return copies.settings * settings + copies.experiment * experiment + copies.problem * problem +
           threads * worker + cloud + (copies.results + 1) * (cloud_result + detail) + window_extra;
}

// The M batches of the cloud: the engine's projections and norms, and each copy of the result's.
double cloud_bytes(const Settings& s, const Copies& copies) {
    const double M = s.M;
    const double K = s.estimator.K;
    const double engine = M * 3 * kDouble;
    const double result = M * (2 * sizeof(float) + kDouble);
    // Each task keeps the actions it touched: no more than its samples, nor than N.
    const double batches_per_task =
        std::max(1.0, std::floor(static_cast<double>(kSamplesPerCloudTask) / K));
    const double tasks = std::ceil(M / batches_per_task);
    const double touched = std::min(M * K, tasks * static_cast<double>(s.actions.size()));
    const double task_sums = touched * (4 + kDouble) * kVectorGrowth;
    return engine + (copies.results + 1) * result + task_sums;
}

void add(MemoryEstimate& e, std::string name, std::string formula, double bytes) {
    if (bytes > 0.0) e.parts.push_back({std::move(name), std::move(formula), bytes});
}

}  // namespace

int history_point_capacity(std::size_t tracked_actions) {
    const std::size_t by_budget = kHistoryValueBudget / history_columns(tracked_actions);
    return static_cast<int>(
        std::clamp<std::size_t>(by_budget, kMinHistoryPoints, kMaxHistoryPoints));
}

namespace {

// Largest part first, and the total.
MemoryEstimate finished(MemoryEstimate e) {
    std::sort(e.parts.begin(), e.parts.end(),
              [](const MemoryPart& a, const MemoryPart& b) { return a.bytes > b.bytes; });
    for (const MemoryPart& p : e.parts)
        e.total += p.bytes;
    return e;
}

// An episode problem: every run's logits and probabilities over all logit sets, the
// measurements' per-task sums, the sampled batches, summary.csv and, in the window, the cloud.
MemoryEstimate estimate_episode_memory(const Settings& s, const MemoryUse& use) {
    const double V = static_cast<double>(s.actions.size());
    const double T = s.length;
    const double blocks =
        s.problem == ProblemKind::kTokens
            ? static_cast<double>(token_policy_blocks(s.policy_form, s.actions.size(), s.length))
            : static_cast<double>(s.table ? s.table->states.size() : 1);
    const double params = blocks * V;
    const double threads = resolved_threads(use.threads);
    MemoryEstimate e;
    std::string logits = times(s.runs, "runs x ");
    logits += times(params, "logits x 16 bytes");
    add(e, "the runs' logits and probabilities", std::move(logits), s.runs * params * 2 * kDouble);
    // A situation is the previous token where the policy reads it and the outcome rule's count.
    const double counters = s.outcome == OutcomeRule::kAtLeast ? s.outcome_count + 1.0
                            : s.outcome == OutcomeRule::kNone  ? 1.0
                                                               : 2.0;
    const double situations =
        s.problem == ProblemKind::kTokens
            ? (s.policy_form == TokenPolicyForm::kPreviousToken ? V + 1 : 1) * counters
            : blocks;
    if (s.estimator.baseline == BaselineKind::kLearnedValue) {
        std::string critic = times(s.runs, "runs x ");
        critic += times(T * situations, "values x 8 bytes");
        add(e, "the runs' critics", std::move(critic), s.runs * T * situations * kDouble);
    }
    add(e, "the exact values", times(threads, "threads"),
        threads * 4 * (T + 1) * situations * kDouble);
    // Measuring: at most 64 tasks' sums of a gradient, one estimate per thread, and the batches
    // (at most 2^21 decisions of 24 bytes).
    add(e, "the measurements' sums", "64 x " + times(params, "logits x 8 bytes"),
        (64 + threads) * params * kDouble);
    add(e, "the sampled batches", "2^21 decisions x 24 bytes", std::ldexp(24.0, 21));
    // The window's gradient cloud keeps every estimate for its second axis (engine/episode_cloud).
    if (use.mode == RunMode::kWindow) {
        std::string cloud = times(s.M, "estimates x ");
        cloud += times(params, "logits x 8 bytes");
        add(e, "the gradient cloud's estimates", std::move(cloud), s.M * params * kDouble);
    }
    const double fields = 6 + T + (blocks <= 4 ? params : 0);
    std::string csv = times(s.steps + 1.0, "rows x ");
    csv += times(fields, "columns x about 16 bytes");
    add(e, "the summary.csv text", std::move(csv),
        (s.steps + 1.0) * fields * kCsvBytesPerField * kCsvGrowth);
    return e;
}

}  // namespace

MemoryEstimate estimate_memory(const Settings& s, const MemoryUse& use) {
    if (is_episodic(s)) return finished(estimate_episode_memory(s, use));
    const bool window = use.mode == RunMode::kWindow;
    const Copies& copies = window ? kWindowCopies : kHeadlessCopies;
    const int threads = resolved_threads(use.threads);
    const double n = static_cast<double>(s.actions.size());
    const double runs = s.runs;
    const std::size_t tracked = tracked_count(s.actions.size());
    MemoryEstimate e;

    std::string logits = times(runs, "runs x ");
    logits += times(n, "actions x 8 bytes");
    add(e, "the runs' logits", std::move(logits), runs * n * kDouble);

    if (s.arm_mean_sd > 0.0 && runs * n <= static_cast<double>(kMaxCachedRunProblemEntries)) {
        const double per_entry = 2 * kDouble + sizeof(RewardSampler);
        std::string rewards = times(runs, "runs x ");
        rewards += times(n, "actions x ");
        rewards += times(per_entry, "bytes");
        add(e, "each run's reward table", std::move(rewards), runs * n * per_entry);
    }

    const double per_action = per_action_bytes(s, copies, threads, window);
    std::string actions = times(n, "actions x ");
    actions += times(per_action, "bytes, with ");
    actions += times(threads, "threads");
    add(e, "the per-action tables", std::move(actions), n * per_action);

    std::string cloud = "M ";
    cloud += std::to_string(s.M);
    cloud += " batches of K ";
    cloud += std::to_string(s.estimator.K);
    add(e, "the gradient cloud", std::move(cloud), cloud_bytes(s, copies));

    // Per run and step: each run's outcome and its tracked probabilities, and the samples.
    const double per_run = 64 + kDouble * (1 + static_cast<double>(tracked));
    const double per_sample = 4 + 3 * kDouble;
    std::string buffers = times(runs, "runs, K ");
    buffers += std::to_string(s.estimator.K);
    add(e, "the per-run and per-sample buffers", std::move(buffers),
        runs * per_run + (threads + copies.results + 1) * s.estimator.K * per_sample);

    if (window) {
        const double columns = static_cast<double>(history_columns(tracked));
        const double points = std::min<double>(history_point_capacity(tracked), s.steps + 1.0);
        const double copies_held = copies.results + 1;
        std::string history = times(points, "points x ");
        history += times(columns, "columns x 8 bytes, ");
        history += times(copies_held, "copies");
        add(e, "the step history", std::move(history),
            points * columns * kDouble * kVectorGrowth * copies_held);
    } else {
        const double rows = s.steps + 1.0;
        const double fields =
            static_cast<double>(kCsvFixedColumns + kCsvColumnsPerAction * tracked);
        std::string csv = times(rows, "rows x ");
        csv += times(fields, "columns x about 16 bytes");
        add(e, "the summary.csv text", std::move(csv),
            rows * fields * kCsvBytesPerField * kCsvGrowth);
    }

    return finished(std::move(e));
}

std::string check_memory(const Settings& s, const MemoryUse& use, const MemoryLimit& limit) {
    if (limit.bytes == 0) return {};
    const MemoryEstimate e = estimate_memory(s, use);
    if (e.total <= static_cast<double>(limit.bytes)) return {};
    std::string text = "the settings need about ";
    text += format_bytes(e.total);
    if (!e.parts.empty()) {
        const MemoryPart& largest = e.parts.front();
        text += ", the largest part ";
        text += largest.name;
        text += " (";
        text += largest.formula;
        text += " = ";
        text += format_bytes(largest.bytes);
        text += ")";
    }
    text += "; the limit is ";
    text += describe_limit(limit);
    return text;
}

}  // namespace rl::core
