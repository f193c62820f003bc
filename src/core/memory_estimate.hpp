#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/memory_limit.hpp"
#include "core/settings.hpp"

// What a run of some settings needs in memory, estimated before it starts, so settings that
// would not fit are refused with the figure instead of ending in a crash or a swapping machine.
// The formula is in docs/SESSION.md ("Memory"); tests/test_memory_budget.cpp checks it against
// what runs really take.
//
// Contents: the sizes that bound what a run keeps (the engines and the history read them from
// here, so the estimate counts what is really there), the estimate, and the check.
namespace rl::core {

// Per-run reward tables are cached only while runs x N stays below this (engine/cpu_engine).
inline constexpr std::size_t kMaxCachedRunProblemEntries = std::size_t{1} << 22;
// The CPU engine's cloud tasks hold about this many samples, whatever the thread count.
inline constexpr std::size_t kSamplesPerCloudTask = std::size_t{1} << 15;

// The window's step history (live/history) keeps at most this many points, and fewer when each
// point has many columns (256 tracked actions in vocabulary mode), so that the values it keeps
// stay within kHistoryValueBudget: long vocabulary runs keep a bounded, smaller history.
inline constexpr int kMaxHistoryPoints = 4096;
inline constexpr int kMinHistoryPoints = 512;
inline constexpr std::size_t kHistoryValueBudget = std::size_t{1} << 20;
// step, the J quantiles and the best-action share, then p10, p50 and p90 per tracked action.
inline constexpr std::size_t history_columns(std::size_t tracked_actions) {
    return 5 + 3 * tracked_actions;
}
int history_point_capacity(std::size_t tracked_actions);

enum class RunMode {
    kWindow,    // a live runner: engines, history and the published copies of the results
    kHeadless,  // --headless: engines and the summary.csv text, which grows with the steps
};

struct MemoryUse {
    RunMode mode = RunMode::kWindow;
    int threads = 0;  // CPU engine threads; 0: every core, as the engine takes it
};

struct MemoryPart {
    std::string name;     // "the runs' logits"
    std::string formula;  // "4096 runs x 262144 actions x 8 bytes"
    double bytes = 0.0;
};

struct MemoryEstimate {
    std::vector<MemoryPart> parts;  // every part there is, largest first
    double total = 0.0;
};

// Settings must be valid (validate() returned "").
MemoryEstimate estimate_memory(const Settings& s, const MemoryUse& use);

// "" when the estimate is within the limit (or there is none); otherwise one line: "the settings
// need about 8.1 GiB, the largest part the runs' logits (4096 runs x 262144 actions x 8 bytes = 8.0
// GiB); the limit is 4.0 GiB (--memory-limit)".
std::string check_memory(const Settings& s, const MemoryUse& use, const MemoryLimit& limit);

}  // namespace rl::core
