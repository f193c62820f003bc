#include "io/headless_episodes.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "core/choices.hpp"
#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_settings.hpp"
#include "engine/engine.hpp"
#include "engine/episode_runs.hpp"
#include "io/csv.hpp"
#include "io/progress_bar.hpp"

namespace rl::io {

namespace {

// Decisions sampled per snr.csv row and per horizon.csv (T, K): enough for a few percent on the
// trace at the presets' sizes, few enough that the tables take seconds on two cores.
constexpr long long kSnrRowDecisions = 1LL << 21;
constexpr long long kHorizonRowDecisions = 1LL << 17;
constexpr int kHorizonK[] = {1, 4, 16, 64};
constexpr core::Credit kCredits[] = {core::Credit::kFullReturn, core::Credit::kRewardToGo};

int batches_for(int M, int K, int T, long long budget) {
    const long long per_batch = std::max(1LL, static_cast<long long>(K) * std::max(T, 1));
    return static_cast<int>(std::min<long long>(M, std::max(64LL, budget / per_batch)));
}

// The exact moments of one credit, with the cross terms every baseline and K need.
struct CreditMoments {
    core::Credit credit;
    core::EpisodeMomentsResult moments;
};

std::vector<CreditMoments> moments_by_credit(const core::EpisodeModel& model,
                                             const core::EpisodePolicy& policy,
                                             const core::EpisodeValues& values,
                                             double max_trajectories) {
    std::vector<CreditMoments> out;
    for (const core::Credit c : kCredits)
        out.push_back({c, core::episode_moments(model, policy, values, c, true, max_trajectories)});
    return out;
}

// The rows of one K for the given credits, every baseline measured on the same batches. `values`
// and `moments` are those of objective.sampled().
void rows_at(const core::EpisodeObjective& objective, const core::EpisodePolicy& policy,
             const core::EpisodeValues& values, const std::vector<CreditMoments>& moments,
             const core::Settings& s, int K, int M, engine::ThreadPool& pool,
             std::span<const core::Credit> credits,
             std::vector<std::pair<core::Credit, SnrRow>>& out) {
    const core::EpisodeModel& model = objective.sampled();
    const engine::EpisodeBatches batches =
        engine::sample_episode_batches(model, policy, K, M, s.seed, pool);
    for (const core::Credit credit : credits) {
        const auto m = std::find_if(moments.begin(), moments.end(),
                                    [&](const CreditMoments& c) { return c.credit == credit; });
        for (const core::BaselineKind baseline : core::all_values<core::BaselineKind>()) {
            SnrRow row;
            row.K = K;
            row.baseline = baseline;
            row.M = M;
            if (baseline == core::BaselineKind::kRloo && K < 2) {
                row.has_estimator = false;
                out.emplace_back(credit, row);
                continue;
            }
            core::EstimatorSettings est = s.estimator;
            est.credit = credit;
            est.baseline = baseline;
            est.K = K;
            const core::EpisodeExact exact = core::with_objective(
                core::episode_exact_from(model, values, m->moments, core::episode_estimator(est)),
                objective);
            if (exact.exact) {
                row.trcov_exact = exact.trace_cov;
                if (exact.snr_reason.empty()) {
                    row.snr_exact = exact.snr;
                } else {
                    row.snr_note = "exact: " + exact.snr_reason;
                }
            } else {
                row.snr_note = "exact: " + exact.reason;
            }
            const engine::EpisodeMeasurement measured =
                engine::measure_episode_estimator(objective, policy, values, est, batches, pool);
            const std::string why = !measured.error.empty() ? measured.error : measured.snr_reason;
            if (why.empty()) {
                row.snr_measured = measured.snr;
            } else {
                row.snr_note += (row.snr_note.empty() ? "measured: " : "; measured: ") + why;
            }
            row.trcov_measured = measured.trace_cov;
            row.uphill_measured = measured.uphill_share;
            row.cos_measured = measured.mean_cosine;
            out.emplace_back(credit, row);
        }
    }
}

std::vector<SnrRow> episode_snr_table(const core::EpisodeProblem& problem, const core::Settings& s,
                                      engine::ThreadPool& pool) {
    const core::EpisodePolicy& policy = problem.initial;
    const core::EpisodeObjective objective =
        core::episode_objective(*problem.model, policy, problem.reference_log_probs, s.estimator);
    const core::EpisodeModel& model = objective.sampled();
    const core::EpisodeValues values = core::episode_values(model, policy);
    const std::vector<CreditMoments> moments =
        moments_by_credit(model, policy, values, core::kMaxEnumeratedTrajectories);
    const core::Credit own[] = {s.estimator.credit};
    std::vector<std::pair<core::Credit, SnrRow>> rows;
    int count = 0;
    for (int K = 1; K <= kSnrTableMaxK; K *= 2)
        ++count;
    ProgressBar bar("SNR table", count);
    int done = 0;
    for (int K = 1; K <= kSnrTableMaxK; K *= 2) {
        rows_at(objective, policy, values, moments, s, K,
                batches_for(s.M, K, model.horizon(), kSnrRowDecisions), pool, own, rows);
        bar.update(++done);
    }
    bar.finish();
    // Baseline-major, as for bandits.
    std::vector<SnrRow> out;
    for (const core::BaselineKind b : core::all_values<core::BaselineKind>())
        for (const auto& [credit, row] : rows)
            if (row.baseline == b) out.push_back(row);
    return out;
}

// What the tables and the report name: the settings, each decision's best actions (from the
// engine) and the number of logit sets.
struct Shown {
    const core::Settings& s;
    const std::vector<std::vector<std::uint32_t>>& best;
    std::size_t blocks = 0;
};

// "clear|accurate|fine": the best actions of decision t.
std::string best_names(const Shown& shown, std::size_t t) {
    const core::Settings& s = shown.s;
    std::string names;
    for (const std::uint32_t a : shown.best[t])
        names += (names.empty() ? "" : "|") + s.actions[a].name;
    return names;
}

std::string summary_header(const Shown& shown) {
    CsvTable csv;
    for (const char* c : {"step", "J_mean", "J_p10", "J_p50", "J_p90", "share_greedy_best"})
        csv.text(c);
    for (std::size_t t = 0; t < shown.best.size(); ++t)
        csv.text("p_t" + std::to_string(t + 1) + "_" + best_names(shown, t));
    if (shown.blocks <= engine::kWholePolicyBlocks)
        for (std::size_t b = 0; b < shown.blocks; ++b)
            for (const core::ActionSpec& a : shown.s.actions)
                csv.text("pi_b" + std::to_string(b) + "_" + a.name);
    csv.end_row();
    return csv.str();
}

std::string summary_row(const Shown& shown, const engine::EpisodeStepSummary& r) {
    CsvTable csv;
    csv.integer(r.step).number(r.J.mean).number(r.J.p10).number(r.J.p50).number(r.J.p90);
    csv.number(r.greedy_best_share);
    for (const double p : r.best_prob_p50)
        csv.number(p);
    if (shown.blocks <= engine::kWholePolicyBlocks)
        for (const double p : r.block_probs_p50)
            csv.number(p);
    csv.end_row();
    return csv.str();
}

void report_snr(std::ostream& out, const core::EstimatorSettings& e,
                const std::vector<SnrRow>& snr);

void report(std::ostream& out, const Shown& shown, const std::string& engine_message,
            const engine::EpisodeStepSummary& last, const std::vector<SnrRow>& snr) {
    const core::Settings& s = shown.s;
    const core::EstimatorSettings& e = s.estimator;
    out << (s.preset.empty() ? "session" : s.preset);
    if (!s.title.empty()) out << ": " << s.title;
    out << "\nengine: " << engine_message << "\n";
    out << "episodes: " << core::to_string(s.problem) << ", " << s.actions.size() << " actions, "
        << (s.problem == core::ProblemKind::kTable ? "step cap " : "T ") << s.length << ", credit "
        << core::to_string(e.credit) << ", baseline " << core::to_string(e.baseline) << ", K "
        << e.K << ", lr " << short_number(e.lr) << "; " << s.runs << " runs x " << s.steps
        << " steps, seed " << s.seed << "\n";
    out << "after step " << last.step << ": median J " << short_number(last.J.p50) << " (p10 "
        << short_number(last.J.p10) << ", p90 " << short_number(last.J.p90) << ")\n";
    if (shown.blocks <= engine::kWholePolicyBlocks && !last.block_probs_p50.empty()) {
        // A few logit sets (a table whose states share one): the policy itself says it best.
        out << "median policy:";
        const std::size_t A = s.actions.size();
        for (std::size_t i = 0; i < last.block_probs_p50.size(); ++i)
            out << (i == 0 ? " " : ", ")
                << (shown.blocks > 1 ? "set " + std::to_string(i / A) + " " : "")
                << s.actions[i % A].name << " " << short_number(last.block_probs_p50[i]);
        out << "\n";
        return report_snr(out, e, snr);
    }
    out << short_number(100.0 * last.greedy_best_share)
        << "% of runs choose a best token at every position; median P(best) by position:";
    const std::size_t listed = std::min<std::size_t>(10, last.best_prob_p50.size());
    for (std::size_t t = 0; t < listed; ++t)
        out << (t == 0 ? " " : ", ") << t + 1 << " " << best_names(shown, t) << " "
            << short_number(last.best_prob_p50[t]);
    if (last.best_prob_p50.size() > listed) out << ", ... (all in summary.csv)";
    out << "\n";
    report_snr(out, e, snr);
}

void report_snr(std::ostream& out, const core::EstimatorSettings& e,
                const std::vector<SnrRow>& snr) {
    const auto own = std::find_if(snr.begin(), snr.end(), [&](const SnrRow& r) {
        return r.K == e.K && r.baseline == e.baseline;
    });
    if (own != snr.end()) {
        out << "SNR at K " << own->K << ", baseline " << core::to_string(own->baseline)
            << ": exact " << (own->snr_exact ? short_number(*own->snr_exact) : "none")
            << ", measured " << (own->snr_measured ? short_number(*own->snr_measured) : "none")
            << " (" << own->M << " batches)";
        if (!own->snr_note.empty()) out << " (" << own->snr_note << ")";
        out << "\n";
    }
}

}  // namespace

std::vector<HorizonRow> horizon_table(const core::Settings& settings, int threads) {
    engine::ThreadPool pool(threads);
    std::vector<HorizonRow> rows;
    ProgressBar bar("horizon table", settings.length);
    for (int T = 1; T <= settings.length; ++T) {
        const core::Settings s = core::settings_at_length(settings, T);
        const core::EpisodeProblem problem = core::make_episode_problem(s);
        const core::EpisodeObjective objective = core::episode_objective(
            *problem.model, problem.initial, problem.reference_log_probs, s.estimator);
        const core::EpisodeValues values =
            core::episode_values(objective.sampled(), problem.initial);
        const std::vector<CreditMoments> moments = moments_by_credit(
            objective.sampled(), problem.initial, values, core::kMaxSweepTrajectories);
        for (const int K : kHorizonK) {
            std::vector<std::pair<core::Credit, SnrRow>> at;
            rows_at(objective, problem.initial, values, moments, s, K,
                    batches_for(s.M, K, T, kHorizonRowDecisions), pool, kCredits, at);
            for (auto& [credit, row] : at)
                rows.push_back({T, row, credit});
        }
        bar.update(T);
    }
    bar.finish();
    return rows;
}

std::string horizon_csv(const std::vector<HorizonRow>& rows) {
    CsvTable csv;
    for (const char* c : {"T", "K", "credit", "baseline", "snr_exact", "snr_measured",
                          "trcov_exact", "trcov_measured", "snr_note"})
        csv.text(c);
    csv.end_row();
    for (const HorizonRow& r : rows) {
        csv.integer(r.T).integer(r.snr.K).text(core::to_string(r.credit));
        csv.text(core::to_string(r.snr.baseline));
        if (!r.snr.has_estimator) {
            for (int i = 0; i < 4; ++i)
                csv.empty();
            csv.text("leave-one-out needs K >= 2");
        } else {
            csv.number(r.snr.snr_exact)
                .number(r.snr.snr_measured)
                .number(r.snr.trcov_exact)
                .number(r.snr.trcov_measured)
                .text(r.snr.snr_note);
        }
        csv.end_row();
    }
    return csv.str();
}

int run_headless_episodes(const core::Settings& settings, const HeadlessOptions& options,
                          std::ostream& out, std::ostream& err) {
    engine::EngineChoice choice;
    engine::EpisodeStart start;
    try {
        choice = engine::make_engine(options.engine, options.threads);
        // A baseline that cannot be had here is a usage error, found before any work.
        start = choice.engine->configure_episodes(settings);
    } catch (const std::invalid_argument& e) {
        err << "reinforce-lab: " << e.what() << "\n";
        return kExitUsage;
    }
    if (choice.warning) err << "reinforce-lab: warning: " << choice.message << "\n";
    engine::Engine& engine = *choice.engine;
    std::string engine_message = choice.message;
    if (const std::string notice = engine.take_notice(); !notice.empty())
        engine_message += "; " + notice;
    const core::EpisodeProblem problem = core::make_episode_problem(settings);
    const Shown shown{settings, start.best_actions, problem.model->blocks()};
    std::vector<SnrRow> snr;
    {
        engine::ThreadPool pool(options.threads);
        snr = episode_snr_table(problem, settings, pool);
    }
    const std::vector<HorizonRow> horizon = horizon_table(settings, options.threads);

    std::string summary = summary_header(shown);
    engine::EpisodeStepSummary last = start.initial;
    summary += summary_row(shown, last);
    std::string divergence;
    {
        ProgressBar bar("training", settings.steps);
        for (int step = 0; step < settings.steps && divergence.empty(); ++step) {
            const engine::EpisodeAdvance advanced = engine.advance_episodes(1);
            for (const engine::EpisodeStepSummary& row : advanced.steps)
                summary += summary_row(shown, row);
            if (!advanced.steps.empty()) last = advanced.steps.back();
            divergence = advanced.divergence;
            bar.update(step + 1);
        }
        bar.finish();
    }
    report(out, shown, engine_message, last, snr);
    int status = kExitOk;
    if (!divergence.empty()) {
        err << "reinforce-lab: training stopped: " << divergence << "\n";
        status = kExitDiverged;
    }
    const std::string snr_text = snr_csv(snr), horizon_text = horizon_csv(horizon);
    const std::pair<std::string_view, std::string_view> files[] = {
        {"summary.csv", summary}, {"snr.csv", snr_text}, {"horizon.csv", horizon_text}};
    return publish_outputs(options.out_dir, files, options.more_outputs, out, err, status);
}

}  // namespace rl::io
