#include "io/snr_table.hpp"

#include <algorithm>

#include "core/choices.hpp"
#include "io/csv.hpp"

namespace rl::io {

int snr_row_batches(int M, int K) {
    const long long by_budget = std::max(64LL, kSnrRowSampleBudget / std::max(K, 1));
    return static_cast<int>(std::min<long long>(M, by_budget));
}

SnrRow measure_snr(engine::Engine& engine, const core::Experiment& experiment,
                   core::BaselineKind baseline, int K, std::span<const double> logits,
                   double running_value) {
    SnrRow row;
    row.K = K;
    row.baseline = baseline;
    row.M = snr_row_batches(experiment.M, K);
    if (baseline == core::BaselineKind::kRloo && K < 2) {
        row.has_estimator = false;
        return row;
    }
    core::Experiment e = experiment;
    e.estimator.baseline = baseline;
    e.estimator.K = K;
    // The cloud only reads run 0's problem, and run 0's arm means do not depend on the run count.
    e.runs = 1;
    engine.configure(e);

    engine::CloudRequest request;
    request.logits.assign(logits.begin(), logits.end());
    request.run = 0;
    request.step = 0;
    request.K = K;
    request.M = row.M;
    request.running_value = running_value;
    const engine::CloudResult cloud = engine.gradient_cloud(request);
    if (cloud.exact.closed_form) {
        if (cloud.exact.snr_reason.empty()) {
            row.snr_exact = cloud.exact.snr;
        } else {
            row.snr_note = "exact: " + cloud.exact.snr_reason;
        }
        row.trcov_exact = cloud.exact.trace_cov;
    }
    if (cloud.snr_reason.empty()) {
        row.snr_measured = cloud.snr;
    } else {
        row.snr_note += (row.snr_note.empty() ? "measured: " : "; measured: ") + cloud.snr_reason;
    }
    row.trcov_measured = cloud.trace_cov;
    row.uphill_measured = cloud.uphill_share;
    row.cos_measured = cloud.mean_cosine;
    return row;
}

int snr_table_rows() {
    int per_baseline = 0;
    for (int K = 1; K <= kSnrTableMaxK; K *= 2)
        ++per_baseline;
    return per_baseline * static_cast<int>(core::kBanditBaselines.size());
}

std::vector<SnrRow> snr_table(engine::Engine& engine, const core::Experiment& experiment,
                              std::span<const double> logits, double running_value,
                              const std::function<void(int)>& on_row) {
    std::vector<SnrRow> rows;
    for (core::BaselineKind baseline : core::kBanditBaselines) {
        for (int K = 1; K <= kSnrTableMaxK; K *= 2) {
            rows.push_back(measure_snr(engine, experiment, baseline, K, logits, running_value));
            if (on_row) on_row(static_cast<int>(rows.size()));
        }
    }
    return rows;
}

std::string snr_csv(const std::vector<SnrRow>& rows) {
    CsvTable csv;
    for (const char* column : {"K", "baseline", "snr_exact", "snr_measured", "trcov_exact",
                               "trcov_measured", "uphill_measured", "cos_measured", "snr_note"})
        csv.text(column);
    csv.end_row();
    for (const SnrRow& row : rows) {
        csv.integer(row.K).text(core::to_string(row.baseline));
        if (!row.has_estimator) {
            for (int i = 0; i < 7; ++i)
                csv.empty();
        } else {
            csv.number(row.snr_exact)
                .number(row.snr_measured)
                .number(row.trcov_exact)
                .number(row.trcov_measured)
                .number(row.uphill_measured)
                .number(row.cos_measured)
                .text(row.snr_note);
        }
        csv.end_row();
    }
    return csv.str();
}

}  // namespace rl::io
