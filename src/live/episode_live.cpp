#include "live/episode_live.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/choices.hpp"
#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_training.hpp"
#include "core/episodes/episode_values.hpp"
#include "core/settings_fields.hpp"
#include "live/episode_snr_point.hpp"
#include "live/snr_curves.hpp"

namespace rl::live {

namespace {

// Decisions a measured SNR point draws, and the most its least point (64 batches) may draw.
constexpr long long kPointDecisions = 1LL << 16;
constexpr long long kMaxPointDecisions = 1LL << 18;

// Fields an edit may change while the episode runs go on: they shape what is drawn or when
// playing stops, not a run's next update.
bool keeps_runs(std::string_view key) {
    for (const std::string_view k : {"preset", "title", "description", "steps", "M"})
        if (key == k) return true;
    return false;
}

std::vector<std::string> block_names(const core::Settings& s, std::size_t blocks) {
    std::vector<std::string> names(blocks);
    if (s.problem == core::ProblemKind::kTable) {
        const core::EpisodeTableSpec& table = *s.table;
        for (std::size_t x = 0; x < table.states.size(); ++x) {
            if (std::find(table.terminal.begin(), table.terminal.end(), x) != table.terminal.end())
                continue;
            const std::size_t b = table.state_block.empty() ? x : table.state_block[x];
            if (b >= blocks) continue;
            if (!names[b].empty()) names[b] += ", ";
            names[b] += table.states[x];
        }
        return names;
    }
    const std::size_t V = s.actions.size();
    for (std::size_t b = 0; b < blocks; ++b) {
        switch (s.policy_form) {
            case core::TokenPolicyForm::kShared:
                names[b] = "every position";
                break;
            case core::TokenPolicyForm::kPreviousToken:
                names[b] = 't';
                names[b] += std::to_string(b == 0 ? 1 : (b - 1) / V + 2);
                if (b > 0) names[b].append(" after ").append(s.actions[(b - 1) % V].name);
                break;
            case core::TokenPolicyForm::kPerPosition:
                names[b] = 't';
                names[b] += std::to_string(b + 1);
                break;
        }
    }
    return names;
}

}  // namespace

std::string episode_restart_reason(const core::Settings& now, const core::Settings& next) {
    if (now.problem != next.problem) return "The problem changed";
    for (const core::SettingsField& f : core::kSettingsFields) {
        if (f.get == nullptr || keeps_runs(f.key)) continue;
        if (core::field_text(f.get(now)) != core::field_text(f.get(next)))
            return std::string(f.label.empty() ? f.key : f.label) + " changed";
    }
    if (now.actions.size() != next.actions.size()) return "Number of tokens changed";
    for (std::size_t a = 0; a < now.actions.size(); ++a)
        for (const core::ActionField& f : core::kActionFields) {
            if (f.get == nullptr || f.key == std::string_view("name")) continue;
            if (core::field_text(f.get(now, a)) != core::field_text(f.get(next, a)))
                return "Action " + now.actions[a].name + "'s " + std::string(f.key) + " changed";
        }
    for (std::size_t a = 0; a < now.actions.size(); ++a)
        if (now.actions[a].by_position.size() != next.actions[a].by_position.size())
            return "Token " + now.actions[a].name + "'s rewards by position changed";
    if (now.table.has_value() != next.table.has_value() ||
        (now.table && (now.table->states != next.table->states ||
                       now.table->transitions.size() != next.table->transitions.size())))
        return "The table changed";
    return {};
}

engine::StepSummary history_point(const engine::EpisodeStepSummary& s) {
    engine::StepSummary p;
    p.step = s.step;
    p.J = s.J;
    p.best_prob_share = s.greedy_best_share;
    return p;
}

EpisodeLive::EpisodeLive(const core::Settings& settings, const engine::EpisodeStart& start)
    : m_settings(settings), m_problem(core::make_episode_problem(settings)), m_sweeper(settings) {
    EpisodeResults& r = m_results;
    r.active = true;
    r.problem = settings.problem;
    r.horizon = m_problem.model->horizon();
    r.blocks = m_problem.model->blocks();
    r.actions = m_problem.model->actions();
    for (const core::ActionSpec& a : settings.actions)
        r.action_names.push_back(a.name);
    r.block_names = block_names(settings, r.blocks);
    r.best.resize(r.blocks);
    // Per position, block t decides position t alone, so its best tokens are decision t's.
    if (settings.problem == core::ProblemKind::kTokens &&
        settings.policy_form == core::TokenPolicyForm::kPerPosition)
        for (std::size_t b = 0; b < r.blocks && b < start.best_actions.size(); ++b)
            r.best[b] = start.best_actions[b];
    take(start.initial);
}

void EpisodeLive::take(const engine::EpisodeStepSummary& latest) {
    m_results.probs_p50 = latest.block_probs_p50;
    m_results.best_prob_p50 = latest.best_prob_p50;
    m_results.greedy_best_share = latest.greedy_best_share;
    m_results.step = latest.step;
}

void EpisodeLive::take_step(int step, core::EpisodeStepRecord record) {
    m_results.detail_step = step;
    m_results.detail = std::move(record);
}

std::vector<SnrCurve> EpisodeLive::snr_curves(const std::vector<double>& logits) const {
    const core::EpisodePolicy policy =
        core::make_episode_policy(m_settings.parameterization, m_results.actions, logits);
    const core::EpisodeObjective objective = core::episode_objective(
        *m_problem.model, policy, m_problem.reference_log_probs, m_settings.estimator);
    const core::EpisodeModel& model = objective.sampled();
    const core::EpisodeValues values = core::episode_values(model, policy);
    const core::EpisodeMomentsResult moments =
        core::episode_moments(model, policy, values, m_settings.estimator.credit, true);
    std::vector<SnrCurve> curves;
    for (const core::BaselineKind baseline : core::all_values<core::BaselineKind>()) {
        SnrCurve& curve = curves.emplace_back();
        curve.baseline = baseline;
        std::string undefined;
        for (const int K : snr_curve_ks()) {
            core::EstimatorSettings est = m_settings.estimator;
            est.baseline = baseline;
            est.K = K;
            if (baseline == core::BaselineKind::kRloo && K < 2) continue;
            const core::EpisodeExact exact = core::with_objective(
                core::episode_exact_from(model, values, moments, core::episode_estimator(est)),
                objective);
            if (!exact.exact) {
                curve.reason = exact.reason;
                break;
            }
            if (curve.K.empty() && exact.snr_reason.empty() && exact.snr > kNoiseFreeSnr) {
                curve.noise_free = true;
                curve.reason = "no noise: every estimate is the true gradient";
                break;
            }
            if (!exact.snr_reason.empty()) {
                undefined = exact.snr_reason;
                continue;
            }
            curve.K.push_back(K);
            curve.snr.push_back(exact.snr);
        }
        if (curve.K.empty() && curve.reason.empty()) curve.reason = undefined + " at this policy";
    }
    return curves;
}

void EpisodeLive::start_snr_points(const std::vector<double>& logits, std::uint32_t step) {
    m_point_logits = logits;
    m_point_step = step;
    m_point_next = 0;
    m_point_ks.clear();
    for (SnrPoint& p : m_results.snr_points)
        p.current = false;
    const core::BaselineKind b = m_settings.estimator.baseline;
    if (b == core::BaselineKind::kRunning || b == core::BaselineKind::kLearnedValue) return;
    // The K whose least point (64 batches) keeps a tick within a few tens of milliseconds.
    const long long horizon = std::max(1, m_results.horizon);
    for (const int K : snr_curve_ks()) {
        if ((K & (K - 1)) != 0 || 64LL * K * horizon > kMaxPointDecisions) continue;
        if (b == core::BaselineKind::kRloo && K < 2) continue;
        m_point_ks.push_back(K);
    }
}

void EpisodeLive::measure_next_snr_point() {
    if (!snr_points_pending()) return;
    const int K = m_point_ks[m_point_next++];
    const core::EpisodePolicy policy =
        core::make_episode_policy(m_settings.parameterization, m_results.actions, m_point_logits);
    const core::EpisodeObjective objective = core::episode_objective(
        *m_problem.model, policy, m_problem.reference_log_probs, m_settings.estimator);
    const core::EpisodeValues values = core::episode_values(objective.sampled(), policy);
    core::EstimatorSettings est = m_settings.estimator;
    est.K = K;
    const int M = batches_for_decisions(kPointDecisions, m_settings.M, K, m_results.horizon);
    std::vector<SnrPoint>& points = m_results.snr_points;
    std::erase_if(points, [K](const SnrPoint& p) { return p.K == K; });
    if (const std::optional<MeasuredSnr> m =
            measure_episode_snr(objective, policy, values, est, M, m_settings.seed, m_point_step))
        points.push_back({K, m->snr, m->batches, true, {}});
    std::sort(points.begin(), points.end(),
              [](const SnrPoint& a, const SnrPoint& b) { return a.K < b.K; });
}

void EpisodeLive::fill(EpisodeResults& out) const {
    out = m_results;
    out.length = m_sweeper.sweep();
}

}  // namespace rl::live
