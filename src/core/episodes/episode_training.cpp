#include "core/episodes/episode_training.hpp"

#include <cmath>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_objective.hpp"

namespace rl::core {

EpisodeEstimator episode_estimator(const EstimatorSettings& s) {
    EpisodeEstimator e;
    e.credit = s.credit;
    e.baseline = s.baseline;
    e.constant_b = s.constant_b;
    e.K = s.K;
    return e;
}

EpisodeRunState start_run(const EpisodeModel& model, const EpisodePolicy& initial,
                          const EstimatorSettings& s) {
    EpisodeRunState run;
    run.policy = initial;
    const auto T = static_cast<std::size_t>(model.horizon());
    // The running mean starts from b, in each position's credit units.
    run.running.assign(T, s.constant_b);
    if (s.credit == Credit::kRewardToGo)
        for (std::size_t t = 1; t < T; ++t)
            run.running[t] = run.running[t - 1] * model.discount();
    run.running_sum.assign(T, 0.0);
    run.running_count.assign(T, 0.0);
    if (s.baseline == BaselineKind::kLearnedValue) run.critic.assign(model.critic_size(), 0.0);
    return run;
}

std::string episode_baseline_inputs(const EpisodeModel& model, const EpisodeRunState& run,
                                    const EpisodeValues& values, const EstimatorSettings& s,
                                    EpisodeBaselineInputs& out) {
    const EpisodeEstimator e = episode_estimator(s);
    const auto T = static_cast<std::size_t>(model.horizon());
    out = {};
    switch (s.baseline) {
        case BaselineKind::kConstant:
        case BaselineKind::kNone: {
            EpisodeMoments none;
            none.horizon = model.horizon();
            out.per_position = fixed_episode_baselines(none, e, model.discount());
            return {};
        }
        case BaselineKind::kExpected: {
            // J for the full return; E[gamma^t G_t | decision t is made] from the occupancy.
            out.per_position.assign(T, values.J);
            if (s.credit == Credit::kFullReturn) return {};
            double discount = 1.0;
            for (std::size_t t = 0; t < T; ++t, discount *= model.discount()) {
                double reach = 0.0, value = 0.0;
                for (std::uint32_t x = 0; x < values.situations; ++x) {
                    reach += values.occupancy_at(static_cast<int>(t), x);
                    value += values.occupancy_at(static_cast<int>(t), x) *
                             values.value_at(static_cast<int>(t), x);
                }
                out.per_position[t] = reach > 0.0 ? discount * value / reach : 0.0;
            }
            return {};
        }
        case BaselineKind::kOptimal: {
            if (values.trajectories > kMaxTrainingTrajectories)
                return "baseline: optimal needs every trajectory's moments at each step, and this "
                       "problem has more than 65536 trajectories";
            const EpisodeMomentsResult m =
                episode_moments(model, run.policy, values, s.credit, false);
            out.per_position = fixed_episode_baselines(m.moments, e, model.discount());
            return {};
        }
        case BaselineKind::kRunning:
            out.per_position = run.running;
            return {};
        case BaselineKind::kPrefixValue:
            out.values = values.value;
            out.value_index = &prefix_value_index;
            return {};
        case BaselineKind::kLearnedValue:
            out.values = run.critic;
            out.value_index = [](const EpisodeModel& m, int t, std::uint32_t x) {
                return m.critic_index(t, x);
            };
            return {};
        default:
            return {};  // the batch's own baselines need nothing more
    }
}

void update_run_memory(const EpisodeModel& model, EpisodeRunState& run,
                       std::span<const SampledEpisode> batch, const EstimatorSettings& s,
                       bool before) {
    const auto T = static_cast<std::size_t>(model.horizon());
    const double gamma = model.discount();
    if (s.baseline == BaselineKind::kRunning && batch.size() > 0) {
        const bool average = s.running_mode == RunningMode::kAverage;
        if (average == before) {
            std::vector<double> mean(T, 0.0);
            for (const SampledEpisode& ep : batch) {
                const std::vector<double> w = episode_credits(ep, s.credit, gamma, T);
                for (std::size_t t = 0; t < T; ++t)
                    mean[t] += w[t];
            }
            for (std::size_t t = 0; t < T; ++t) {
                if (average) {
                    run.running_sum[t] += mean[t];
                    run.running_count[t] += static_cast<double>(batch.size());
                    run.running[t] = run.running_sum[t] / run.running_count[t];
                } else {
                    mean[t] /= static_cast<double>(batch.size());
                    run.running[t] =
                        s.running_decay * run.running[t] + (1.0 - s.running_decay) * mean[t];
                }
            }
        }
    }
    if (s.baseline == BaselineKind::kLearnedValue && !before) {
        // Every visited state moves toward the return that followed it (Monte Carlo targets).
        for (const SampledEpisode& ep : batch) {
            double to_go = 0.0;
            for (std::size_t t = ep.steps.size(); t-- > 0;) {
                to_go = ep.steps[t].reward + gamma * to_go;
                double& v =
                    run.critic[model.critic_index(static_cast<int>(t), ep.steps[t].situation)];
                v += s.critic_lr * (to_go - v);
            }
        }
    }
}

// The baselines that read the policy's exact values at each step.
// The same episodes' weights under full return, rewards-to-go and the prefix-value baseline,
// all without the run's memory, so the three rows differ only in credit and baseline.
namespace {

void record_credit_choices(const EpisodeModel& model, const EpisodeRunState& run,
                           const EpisodeValues& values, const EstimatorSettings& s,
                           std::span<const SampledEpisode> batch, EpisodeStepRecord& record) {
    // The step computed the values only when its own baseline reads them.
    const EpisodeValues v = values.situations > 0 ? values : episode_values(model, run.policy);
    std::vector<double> g(run.policy.logits.size());
    const auto weights_of = [&](Credit credit, BaselineKind baseline,
                                std::vector<std::vector<DecisionWeight>>& out) {
        EstimatorSettings choice = s;
        choice.credit = credit;
        choice.baseline = baseline;
        EpisodeBaselineInputs inputs;
        episode_baseline_inputs(model, run, v, choice, inputs);
        episode_gradient(model, run.policy, episode_estimator(choice), inputs, batch, g, &out);
    };
    weights_of(Credit::kFullReturn, BaselineKind::kNone, record.full_return);
    weights_of(Credit::kRewardToGo, BaselineKind::kNone, record.reward_to_go);
    weights_of(Credit::kRewardToGo, BaselineKind::kPrefixValue, record.prefix_value);
}

}  // namespace

bool needs_values(BaselineKind kind) {
    return kind == BaselineKind::kExpected || kind == BaselineKind::kOptimal ||
           kind == BaselineKind::kPrefixValue;
}

std::string episode_train_step(const EpisodeModel& problem,
                               std::span<const double> reference_log_probs, EpisodeRunState& run,
                               const EstimatorSettings& s, const StreamKey& key,
                               EpisodeStepRecord* record) {
    // With the KL in the rewards, everything below (baselines, critic, running mean) sees the
    // shaped rewards, as the bandit's baselines see R'.
    const EpisodeObjective objective =
        episode_objective(problem, run.policy, reference_log_probs, s);
    const EpisodeModel& model = objective.sampled();
    std::vector<SampledEpisode> batch(static_cast<std::size_t>(s.K));
    std::vector<EpisodeOutcome> scratch;
    for (std::uint32_t k = 0; k < batch.size(); ++k)
        sample_episode(model, run.policy, key, k, scratch, batch[k]);
    update_run_memory(model, run, batch, s, true);
    // The dynamic programming only where a baseline reads it: it is most of a step's work.
    const EpisodeValues values =
        needs_values(s.baseline) ? episode_values(model, run.policy) : EpisodeValues{};
    EpisodeBaselineInputs inputs;
    if (std::string error = episode_baseline_inputs(model, run, values, s, inputs); !error.empty())
        return error;
    std::vector<double> g(run.policy.logits.size());
    episode_gradient(model, run.policy, episode_estimator(s), inputs, batch, g,
                     record ? &record->weights : nullptr);
    const double clip_scale = finish_episode_estimate(objective, g);
    if (record) {
        record_credit_choices(model, run, values, s, batch, *record);
        record->clip_scale = clip_scale;
        record->batch = batch;
    }
    for (std::size_t i = 0; i < g.size(); ++i) {
        run.policy.logits[i] += s.lr * g[i];
        if (!std::isfinite(run.policy.logits[i]))
            return "diverged: a logit is no longer a finite number";
    }
    run.policy.refresh();
    update_run_memory(model, run, batch, s, false);
    return {};
}

}  // namespace rl::core
