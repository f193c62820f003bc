#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/estimator.hpp"
#include "core/experiment.hpp"
#include "engine/engine.hpp"

// Signal-to-noise ratio against K for every baseline at one policy: the data of the SNR plot.
namespace rl::io {

inline constexpr int kSnrTableMaxK = 1024;
// Samples per row: large-K rows get fewer batches so the whole table stays fast.
inline constexpr long long kSnrRowSampleBudget = 1LL << 22;

struct SnrRow {
    int K = 1;
    core::BaselineKind baseline = core::BaselineKind::kNone;
    int M = 0;                                     // batches measured
    bool has_estimator = true;                     // false for leave-one-out at K = 1
    std::optional<double> snr_exact, trcov_exact;  // only where a closed form exists
    std::optional<double> snr_measured;            // none when snr_note says why
    std::string snr_note;  // why an SNR is absent (no noise, or 0/0); empty when both are shown
    double trcov_measured = 0.0;
    double uphill_measured = 0.0;
    double cos_measured = 0.0;
};

// min(M, max(64, budget / K)).
int snr_row_batches(int M, int K);

// One gradient cloud at `logits` (run 0's problem, step 0's streams) with the experiment's
// estimator but the given baseline and K. Reconfigures `engine`, so give it one that is not
// training.
SnrRow measure_snr(engine::Engine& engine, const core::Experiment& experiment,
                   core::BaselineKind baseline, int K, std::span<const double> logits,
                   double running_value);

// K = 1, 2, 4, ..., 1024 for each baseline in kBanditBaselines, baseline-major. on_row is told how
// many rows are done, for a progress bar.
int snr_table_rows();
std::vector<SnrRow> snr_table(engine::Engine& engine, const core::Experiment& experiment,
                              std::span<const double> logits, double running_value,
                              const std::function<void(int)>& on_row = {});

std::string snr_csv(const std::vector<SnrRow>& rows);

}  // namespace rl::io
