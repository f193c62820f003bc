#pragma once

#include <array>
#include <cstddef>

// Frame times the status bar shows and --frames reports: the work of a frame (from polling to
// the swap) apart from the wait that paces the loop to 60 frames per second.
namespace rl::app {

class FrameStats {
  public:
    void add(double work_ms, double interval_ms);
    std::size_t count() const { return m_count; }
    double mean_work_ms() const;
    double max_work_ms() const;
    // Share of frames whose work fitted the 60 Hz budget.
    double on_time_share() const;
    double mean_interval_ms() const;
    // Over the most recent frames only, for the live read-out.
    double recent_work_ms() const;
    double recent_fps() const;

  private:
    static constexpr std::size_t kRecent = 120;
    std::array<double, kRecent> m_recent_work{};
    std::array<double, kRecent> m_recent_interval{};
    std::size_t m_count = 0;
    double m_total_work = 0.0, m_total_interval = 0.0, m_max_work = 0.0;
    std::size_t m_on_time = 0, m_intervals = 0;
};

inline constexpr double kFrameBudgetMs = 1000.0 / 60.0;

}  // namespace rl::app
