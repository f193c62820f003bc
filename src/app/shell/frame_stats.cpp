#include "app/shell/frame_stats.hpp"

#include <algorithm>

namespace rl::app {

namespace {
double quantile_of(std::vector<double> values, double q) {
    if (values.empty()) return 0.0;
    const auto at = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(std::min(at, values.size() - 1));
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}
}  // namespace

void FrameStats::add(double work_ms, double interval_ms, double engine_ms) {
    if (m_work_all.size() < kKept) {
        m_work_all.push_back(work_ms);
        m_engine_all.push_back(engine_ms);
        if (interval_ms > 0.0) m_interval_all.push_back(interval_ms);
    }
    m_recent_work[m_count % kRecent] = work_ms;
    m_recent_interval[m_count % kRecent] = interval_ms;
    ++m_count;
    m_total_work += work_ms;
    m_max_work = std::max(m_max_work, work_ms);
    if (work_ms <= kFrameBudgetMs) ++m_on_time;
    // The first frame has no interval before it.
    if (interval_ms > 0.0) {
        m_total_interval += interval_ms;
        ++m_intervals;
    }
}

double FrameStats::mean_work_ms() const {
    return m_count == 0 ? 0.0 : m_total_work / static_cast<double>(m_count);
}

double FrameStats::max_work_ms() const {
    return m_max_work;
}

double FrameStats::on_time_share() const {
    return m_count == 0 ? 0.0 : static_cast<double>(m_on_time) / static_cast<double>(m_count);
}

double FrameStats::mean_interval_ms() const {
    return m_intervals == 0 ? 0.0 : m_total_interval / static_cast<double>(m_intervals);
}

double FrameStats::work_quantile(double q) const {
    return quantile_of(m_work_all, q);
}

double FrameStats::interval_quantile(double q) const {
    return quantile_of(m_interval_all, q);
}

double FrameStats::engine_quantile(double q) const {
    return quantile_of(m_engine_all, q);
}

double FrameStats::recent_work_ms() const {
    const std::size_t n = std::min(m_count, kRecent);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        total += m_recent_work[i];
    return n == 0 ? 0.0 : total / static_cast<double>(n);
}

double FrameStats::recent_fps() const {
    const std::size_t n = std::min(m_count, kRecent);
    double total = 0.0;
    std::size_t used = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (m_recent_interval[i] <= 0.0) continue;
        total += m_recent_interval[i];
        ++used;
    }
    return total <= 0.0 ? 0.0 : 1000.0 * static_cast<double>(used) / total;
}

}  // namespace rl::app
