#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/settings.hpp"
#include "io/headless.hpp"
#include "io/snr_table.hpp"

// The headless run of an episode problem (token sequences, tables): summary.csv per training
// step, snr.csv at the initial policy as for bandits, and horizon.csv, the SNR of every credit
// and baseline against the length T (docs/SESSION.md).
namespace rl::io {

int run_headless_episodes(const core::Settings& settings, const HeadlessOptions& options,
                          std::ostream& out, std::ostream& err);

// One row of horizon.csv.
struct HorizonRow {
    int T = 1;
    SnrRow snr;  // K, baseline and the figures
    core::Credit credit = core::Credit::kFullReturn;
};

// Every row for T = 1 .. settings.length, K in {1, 4, 16, 64}, both credits, every baseline.
std::vector<HorizonRow> horizon_table(const core::Settings& settings, int threads);
std::string horizon_csv(const std::vector<HorizonRow>& rows);

}  // namespace rl::io
