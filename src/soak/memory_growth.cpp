#include "soak/memory_growth.hpp"

#include <algorithm>
#include <vector>

namespace rl::soak {

namespace {

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// The samples in [from, to]; when none is, the one sample nearest `from` on the given side.
std::vector<double> window(std::span<const MemorySample> samples, double from, double to,
                           bool fallback_first_after) {
    std::vector<double> bytes;
    for (const MemorySample& s : samples)
        if (s.seconds >= from && s.seconds <= to) bytes.push_back(s.bytes);
    if (bytes.empty()) {
        const auto after =
            std::find_if(samples.begin(), samples.end(),
                         [from](const MemorySample& s) { return s.seconds >= from; });
        bytes.push_back(fallback_first_after && after != samples.end() ? after->bytes
                                                                       : samples.back().bytes);
    }
    return bytes;
}

}  // namespace

MemoryGrowth memory_growth(std::span<const MemorySample> samples, double warmup_end,
                           double min_window) {
    MemoryGrowth g;
    if (samples.empty()) return g;
    const double start = samples.front().seconds, end = samples.back().seconds;
    const double width = std::max(0.1 * (end - start), min_window);
    const std::vector<double> after = window(samples, warmup_end, warmup_end + width, true);
    const std::vector<double> last = window(samples, end - width, end, false);
    g.warmup_samples = after.size();
    g.end_samples = last.size();
    g.warmup_bytes = median(after);
    g.end_bytes = median(last);
    g.growth = g.warmup_bytes > 0.0 ? g.end_bytes / g.warmup_bytes - 1.0 : 0.0;
    return g;
}

}  // namespace rl::soak
