#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/settings.hpp"
#include "engine/engine.hpp"

namespace rl::io {

class OutputSet;

// Every file a headless run may write into --out: the CSV files (horizon.csv for episodes) and
// the --svg plots. The folder
// is replaced as a set (io/output_set), so it may hold nothing else: the run refuses a folder
// with anything of the user's in it rather than take it away.
inline constexpr std::array<std::string_view, 10> kHeadlessOutputNames = {
    "summary.csv",  "snr.csv",    "horizon.csv", "policy.svg", "policy-now.svg",
    "gradient.svg", "reward.svg", "snr.svg",     "credit.svg", "length.svg"};

// Files that join the run's set after its CSV files (the --svg plots): empty, or the message.
using MoreOutputs = std::function<std::string(OutputSet& set)>;

struct HeadlessOptions {
    std::string engine = "auto";  // auto, cpu or cuda
    int threads = 0;              // CPU threads; 0: every core
    std::filesystem::path out_dir{};
    MoreOutputs more_outputs{};  // asked for when training ended well or diverged
};

// Exit codes of the headless run (command-line errors are 2, decided before it starts).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // an output file could not be written
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDiverged = 3;

// A number in the headless report: four significant digits.
std::string short_number(double x);

// Runs the session without a window: the SNR table at the initial policy, then `steps` training
// steps of every run, writing out_dir/summary.csv and out_dir/snr.csv (and more_outputs) as one
// set that appears whole or not at all, and a short report on `out`. A diverging run stops
// training; the steps done are still written (kExitDiverged). An engine that cannot be made
// (unknown or unavailable --engine) is a usage error (kExitUsage).
int run_headless(const core::Settings& settings, const HeadlessOptions& options, std::ostream& out,
                 std::ostream& err);

struct HeadlessEngines {
    engine::Engine& training;
    engine::Engine& probing;  // for the SNR table; reconfigured per row, so never the training one
    std::string message;      // which engine and why, for the report
};

// run_headless with the engines already made (tests hand in engines that misbehave on purpose).
int run_headless_on(const core::Settings& settings, const HeadlessEngines& engines,
                    const std::filesystem::path& out_dir, std::ostream& out, std::ostream& err,
                    const MoreOutputs& more_outputs = {});

// Writes `files` (and more_outputs) to out_dir as one set, reports each file on `out`: `status`,
// or kExitFailure (with the message on `err`) when the set could not be written.
int publish_outputs(const std::filesystem::path& out_dir,
                    std::span<const std::pair<std::string_view, std::string_view>> files,
                    const MoreOutputs& more_outputs, std::ostream& out, std::ostream& err,
                    int status);

}  // namespace rl::io
