#pragma once

#include <string>
#include <vector>

#include "core/estimator.hpp"
#include "core/settings.hpp"

// The SNR of a token sequence's estimators against its length T, at the starting policy and the
// settings' K: exact curves for each credit with no baseline, the per-position E[W_t] and the
// prefix value (and the run's own baseline), and the run's own estimator measured by Monte Carlo
// at the same lengths, so a class sees how the noise grows with T and what credit and baselines
// do to that growth.
namespace rl::live {

struct LengthCurve {
    core::Credit credit = core::Credit::kFullReturn;
    core::BaselineKind baseline = core::BaselineKind::kNone;
    std::vector<double> T, snr;  // exact; the curve stops where exact values stop
    std::string reason;          // why it stops short of the last length, or is empty
};

struct LengthSweep {
    bool valid = false;  // a token sequence's sweep (tables have no length to sweep)
    int K = 1, current_T = 1;
    std::vector<LengthCurve> curves;
    // The run's own credit and baseline: measured SNR at these lengths, from `batches` batches of
    // K at each, with the mean's own noise taken out of the signal (none where the estimator
    // could not be measured, or where no signal is left above that noise).
    std::vector<double> measured_T, measured_snr;
    std::vector<int> batches;
};

// The lengths swept for a run at length `current`: 1, 2, 3, 4, 6, 8, 12, ... up to four times
// the current length (at least 16, at most the longest a sequence may be), and `current` itself.
std::vector<int> sweep_lengths(int current);

// The sweep a length at a time, so the live session's worker spends a few milliseconds of a
// tick on it rather than stalling the runs for the whole sweep.
class LengthSweeper {
  public:
    // For valid settings; anything but a token sequence gives an invalid sweep, already done.
    explicit LengthSweeper(const core::Settings& settings);
    bool done() const { return m_next >= m_lengths.size(); }
    void advance();  // the next length's exact points and measured point
    const LengthSweep& sweep() const { return m_sweep; }

  private:
    core::Settings m_settings;
    std::vector<int> m_lengths;
    std::size_t m_next = 0;
    LengthSweep m_sweep;
};

// The whole sweep at once.
LengthSweep length_sweep(const core::Settings& settings);

}  // namespace rl::live
