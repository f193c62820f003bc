#include "live/length_sweep.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_settings.hpp"
#include "core/episodes/episode_training.hpp"
#include "live/episode_snr_point.hpp"
#include "live/snr_curves.hpp"

namespace rl::live {

namespace {

constexpr int kLengthSteps[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384};
// Decisions sampled for each measured point: enough for several percent on the trace, few enough
// that a length takes a worker tick a few milliseconds.
constexpr long long kMeasuredDecisions = 1LL << 15;

constexpr core::Credit kCredits[] = {core::Credit::kFullReturn, core::Credit::kRewardToGo};
// No baseline, the per-position mean of the credit, and the exact value of the prefix: what
// changes the growth with T, from nothing to the most an oracle critic can take out.
constexpr core::BaselineKind kBaselines[] = {
    core::BaselineKind::kNone, core::BaselineKind::kExpected, core::BaselineKind::kPrefixValue};

}  // namespace

std::vector<int> sweep_lengths(int current) {
    const int top = std::min(core::limits::kMaxLength, std::max(16, 4 * current));
    std::vector<int> out;
    for (const int T : kLengthSteps)
        if (T <= top) out.push_back(T);
    if (top > out.back()) out.push_back(top);
    out.push_back(current);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

LengthSweeper::LengthSweeper(const core::Settings& settings) : m_settings(settings) {
    if (settings.problem != core::ProblemKind::kTokens) return;
    m_lengths = sweep_lengths(settings.length);
    LengthSweep& out = m_sweep;
    out.valid = true;
    out.K = settings.estimator.K;
    out.current_T = settings.length;
    // The run's own estimator is drawn too, when it is not among the fixed ones.
    std::vector<std::pair<core::Credit, core::BaselineKind>> shown;
    for (const core::Credit c : kCredits)
        for (const core::BaselineKind b : kBaselines)
            shown.emplace_back(c, b);
    const std::pair own{settings.estimator.credit, settings.estimator.baseline};
    if (std::find(shown.begin(), shown.end(), own) == shown.end()) shown.push_back(own);
    for (const auto& [credit, baseline] : shown)
        out.curves.push_back({credit, baseline, {}, {}, {}});
}

void LengthSweeper::advance() {
    if (done()) return;
    const int T = m_lengths[m_next++];
    LengthSweep& out = m_sweep;
    const core::Settings s = core::settings_at_length(m_settings, T);
    const core::EpisodeProblem problem = core::make_episode_problem(s);
    const core::EpisodeObjective objective = core::episode_objective(
        *problem.model, problem.initial, problem.reference_log_probs, s.estimator);
    const core::EpisodeModel& model = objective.sampled();
    const core::EpisodeValues values = core::episode_values(model, problem.initial);
    for (const core::Credit credit : kCredits) {
        const core::EpisodeMomentsResult moments = core::episode_moments(
            model, problem.initial, values, credit, true, core::kMaxSweepTrajectories);
        for (LengthCurve& curve : out.curves) {
            // A curve that stopped stays stopped: a gap would read as a line through it.
            if (curve.credit != credit || !curve.reason.empty()) continue;
            core::EstimatorSettings est = s.estimator;
            est.credit = credit;
            est.baseline = curve.baseline;
            const core::EpisodeExact exact = core::with_objective(
                core::episode_exact_from(model, values, moments, core::episode_estimator(est)),
                objective);
            if (!exact.exact) {
                curve.reason = "from T = " + std::to_string(T) + ": " + exact.reason;
                continue;
            }
            // A length with no noise (one token, an oracle baseline) or no signal has no point
            // on a log axis; the curve goes on at the next.
            if (!exact.snr_reason.empty() || !(exact.snr < kNoiseFreeSnr)) continue;
            curve.T.push_back(T);
            curve.snr.push_back(exact.snr);
        }
    }
    const int M = batches_for_decisions(kMeasuredDecisions, s.M, out.K, T);
    if (const std::optional<MeasuredSnr> point =
            measure_episode_snr(objective, problem.initial, values, s.estimator, M, s.seed)) {
        out.measured_T.push_back(T);
        out.measured_snr.push_back(point->snr);
        out.batches.push_back(point->batches);
    }
}

LengthSweep length_sweep(const core::Settings& settings) {
    LengthSweeper sweeper(settings);
    while (!sweeper.done())
        sweeper.advance();
    return sweeper.sweep();
}

}  // namespace rl::live
