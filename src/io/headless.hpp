#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "core/settings.hpp"
#include "engine/engine.hpp"

namespace rl::io {

struct HeadlessOptions {
    std::string engine = "auto";  // auto, cpu or cuda
    int threads = 0;              // CPU threads; 0: every core
    std::filesystem::path out_dir;
};

// Exit codes of the headless run (command-line errors are 2, decided before it starts).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // an output file could not be written
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDiverged = 3;

// Runs the session without a window: the SNR table at the initial policy, then `steps` training
// steps of every run, writing out_dir/summary.csv and out_dir/snr.csv and a short report on
// `out`. A diverging run stops training; the steps done are still written (kExitDiverged). An
// engine that cannot be made (unknown or unavailable --engine) is a usage error (kExitUsage).
int run_headless(const core::Settings& settings, const HeadlessOptions& options, std::ostream& out,
                 std::ostream& err);

struct HeadlessEngines {
    engine::Engine& training;
    engine::Engine& probing;  // for the SNR table; reconfigured per row, so never the training one
    std::string message;      // which engine and why, for the report
};

// run_headless with the engines already made (tests hand in engines that misbehave on purpose).
int run_headless_on(const core::Settings& settings, const HeadlessEngines& engines,
                    const std::filesystem::path& out_dir, std::ostream& out, std::ostream& err);

}  // namespace rl::io
