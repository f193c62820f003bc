#pragma once

#include <cstddef>
#include <span>

// How much resident memory grew over a long run, judged on samples taken about once a second.
namespace rl::soak {

struct MemorySample {
    double seconds = 0.0;  // since the run started
    double bytes = 0.0;    // resident set size
};

struct MemoryGrowth {
    double warmup_bytes = 0.0;                        // median just after the warm-up
    double end_bytes = 0.0;                           // median at the end of the run
    double growth = 0.0;                              // end_bytes / warmup_bytes - 1
    std::size_t warmup_samples = 0, end_samples = 0;  // how many samples each median used
};

// The run is samples.front() .. samples.back(). The warm-up ends at `warmup_end` seconds: caches,
// arenas and pools fill during it, so what counts is growth after it. Each window is a tenth of
// the run, or `min_window` seconds if longer: the soak passes it one full cycle over the presets,
// so that both medians see every preset (a vocabulary-sized one holds far more memory than the
// rest). "Just after the warm-up" is [warmup_end, warmup_end + window]; the end is the last window.
// Each holds at least one sample (the first at or after warmup_end, the last), so a short run
// still gives a figure. Samples must be in time order; no samples give zeros.
MemoryGrowth memory_growth(std::span<const MemorySample> samples, double warmup_end,
                           double min_window = 0.0);

}  // namespace rl::soak
