#include "io/headless.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/choices.hpp"
#include "core/experiment.hpp"
#include "engine/engine.hpp"
#include "io/headless_episodes.hpp"
#include "io/output_set.hpp"
#include "io/progress_bar.hpp"
#include "io/snr_table.hpp"
#include "io/summary_csv.hpp"

namespace rl::io {

namespace {

// Small enough for a smooth progress bar, large enough that the per-call overhead vanishes.
constexpr int kStepsPerChunk = 10;
constexpr std::size_t kReportedActions = 10;

// The J an optimal policy gets; with per-run arm means, its average over the runs.
struct TrainingOutcome {
    SummaryCsv csv;
    std::optional<engine::StepSummary> last;
    std::string divergence;  // empty unless a run diverged
};

TrainingOutcome train(engine::Engine& engine, const core::Settings& settings,
                      const core::Experiment& experiment) {
    TrainingOutcome outcome{SummaryCsv(settings, experiment.tracked_actions), std::nullopt, {}};
    engine.configure(experiment);
    ProgressBar bar("training", settings.steps);
    int done = 0;
    while (done < settings.steps) {
        const engine::TrainingAdvance advance =
            engine.advance(std::min(kStepsPerChunk, settings.steps - done));
        outcome.csv.add(advance.steps);
        if (!advance.steps.empty()) outcome.last = advance.steps.back();
        done += static_cast<int>(advance.steps.size());
        bar.update(done);
        if (advance.diverged) {
            outcome.divergence = advance.divergence;
            break;
        }
        // An engine that makes no progress without saying why would otherwise spin forever.
        if (advance.steps.empty()) {
            outcome.divergence = "the engine stopped advancing at step " + std::to_string(done);
            break;
        }
    }
    bar.finish();
    return outcome;
}

// An engine that switched itself (CUDA error -> CPU) carried on; the report and stderr say so.
void take_notice(engine::Engine& engine, const char* role, std::vector<std::string>& notices) {
    if (std::string notice = engine.take_notice(); !notice.empty())
        notices.push_back(std::string(role) + ": " + notice);
}

void report(std::ostream& out, const core::Settings& settings, const core::Experiment& experiment,
            const std::string& engine_message, const std::vector<std::string>& notices,
            const std::optional<engine::StepSummary>& last, const SnrRow& own_snr) {
    const core::EstimatorSettings& est = settings.estimator;
    out << (settings.preset.empty() ? "session" : settings.preset);
    if (!settings.title.empty()) out << ": " << settings.title;
    out << "\nengine: " << engine_message << "\n";
    for (const std::string& notice : notices)
        out << "engine warning: " << notice << "\n";
    out << settings.runs << " runs x " << settings.steps << " steps, K " << est.K << ", baseline "
        << core::to_string(est.baseline) << ", lr " << short_number(est.lr) << ", seed "
        << settings.seed << "\n";

    const double best = core::best_expected_reward(experiment);
    if (!last) {
        out << "no step completed\n";
    } else {
        out << "after step " << last->step << ": median J " << short_number(last->J.p50) << " (p10 "
            << short_number(last->J.p10) << ", p90 " << short_number(last->J.p90)
            << "); best possible " << short_number(best)
            << (core::has_per_run_rewards(experiment) ? " (mean over runs of each run's best arm)"
                                                      : "")
            << "\n";
        out << "median probabilities:";
        const std::size_t shown = std::min(kReportedActions, last->action_probs.size());
        for (std::size_t i = 0; i < shown; ++i) {
            out << (i == 0 ? " " : ", ") << settings.actions[experiment.tracked_actions[i]].name
                << " " << short_number(last->action_probs[i].p50);
        }
        if (last->action_probs.size() > shown)
            out << ", ... (" << last->action_probs.size() - shown << " more in summary.csv)";
        out << "\n";
    }

    out << "SNR at K " << own_snr.K << ", baseline " << core::to_string(own_snr.baseline)
        << ": exact ";
    if (own_snr.snr_exact) {
        out << short_number(*own_snr.snr_exact);
    } else if (!core::has_closed_form(est, est.K)) {
        out << "none (" << core::no_closed_form_reason(est, est.K) << ")";
    } else {
        out << "none";
    }
    out << ", measured "
        << (own_snr.snr_measured ? short_number(*own_snr.snr_measured) : std::string("none"))
        << " (" << own_snr.M << " batches)";
    if (!own_snr.snr_note.empty()) out << " (" << own_snr.snr_note << ")";
    out << "\n";
}

}  // namespace

std::string short_number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", x);
    return buffer;
}

int run_headless(const core::Settings& settings, const HeadlessOptions& options, std::ostream& out,
                 std::ostream& err) {
    if (core::is_episodic(settings)) return run_headless_episodes(settings, options, out, err);
    engine::EngineChoice training, probing;
    try {
        training = engine::make_engine(options.engine, options.threads);
        // The SNR table reconfigures its engine for every baseline; a second instance keeps that
        // away from the training runs.
        probing = engine::make_engine(options.engine, options.threads);
    } catch (const std::invalid_argument& e) {
        // An unknown or unavailable --engine: a usage error, like any other bad argument.
        err << "reinforce-lab: " << e.what() << "\n";
        return kExitUsage;
    }
    if (training.warning) err << "reinforce-lab: warning: " << training.message << "\n";
    return run_headless_on(settings, {*training.engine, *probing.engine, training.message},
                           options.out_dir, out, err, options.more_outputs);
}

int run_headless_on(const core::Settings& settings, const HeadlessEngines& engines,
                    const std::filesystem::path& out_dir, std::ostream& out, std::ostream& err,
                    const MoreOutputs& more_outputs) {
    const core::Experiment experiment = core::make_experiment(settings);
    const double running_start = settings.estimator.constant_b;

    std::vector<SnrRow> rows;
    {
        ProgressBar bar("SNR table", snr_table_rows());
        rows = snr_table(engines.probing, experiment, settings.init_logits, running_start,
                         [&bar](int done) { bar.update(done); });
    }
    // The session's own K and baseline are usually a row of the table already.
    const core::EstimatorSettings& est = settings.estimator;
    const auto in_table = std::find_if(rows.begin(), rows.end(), [&](const SnrRow& r) {
        return r.K == est.K && r.baseline == est.baseline;
    });
    const SnrRow own_snr = in_table != rows.end()
                               ? *in_table
                               : measure_snr(engines.probing, experiment, est.baseline, est.K,
                                             settings.init_logits, running_start);

    std::vector<std::string> notices;
    take_notice(engines.probing, "SNR table", notices);
    const TrainingOutcome outcome = train(engines.training, settings, experiment);
    take_notice(engines.training, "training", notices);
    for (const std::string& notice : notices)
        err << "reinforce-lab: warning: " << notice << "\n";

    report(out, settings, experiment, engines.message, notices, outcome.last, own_snr);
    int status = kExitOk;
    if (!outcome.divergence.empty()) {
        err << "reinforce-lab: training stopped: " << outcome.divergence << "\n";
        status = kExitDiverged;
    }
    // Views, not copies: the summary text is the largest thing a long run holds.
    const std::string snr_text = snr_csv(rows);
    const std::pair<std::string_view, std::string_view> files[] = {
        {"summary.csv", outcome.csv.text()}, {"snr.csv", snr_text}};
    return publish_outputs(out_dir, files, more_outputs, out, err, status);
}

int publish_outputs(const std::filesystem::path& out_dir,
                    std::span<const std::pair<std::string_view, std::string_view>> files,
                    const MoreOutputs& more_outputs, std::ostream& out, std::ostream& err,
                    int status) {
    OutputSet set(out_dir, kHeadlessOutputNames);
    std::string error = set.begin();
    for (const auto& [name, text] : files)
        if (error.empty()) error = set.write(name, text);
    if (error.empty() && more_outputs) error = more_outputs(set);
    if (error.empty()) error = set.publish();
    // Whatever failed, the folder holds the set it held before; the staged files go with `set`.
    if (!error.empty()) {
        err << "reinforce-lab: " << error << "\n";
        return kExitFailure;
    }
    if (!set.notice().empty()) err << "reinforce-lab: warning: " << set.notice() << "\n";
    for (const std::filesystem::path& file : set.files())
        out << "wrote " << file.string() << "\n";
    return status;
}

}  // namespace rl::io
