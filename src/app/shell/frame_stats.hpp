#pragma once

#include <array>
#include <cstddef>
#include <vector>

// Frame times the status bar shows and --frames reports: the work of a frame (from polling to
// the swap) apart from the wait that paces the loop to 60 frames per second.
namespace rl::app {

class FrameStats {
  public:
    // engine_ms: the engine's time in the tick whose results the frame drew (0 when none ran).
    void add(double work_ms, double interval_ms, double engine_ms = 0.0);
    std::size_t count() const { return m_count; }
    double mean_work_ms() const;
    double max_work_ms() const;
    // Share of frames whose work fitted the 60 Hz budget.
    double on_time_share() const;
    double mean_interval_ms() const;
    // Quantiles (q in [0, 1]) over every frame so far, for --frames and bench/frame_bench.sh:
    // a mean hides the one frame in twenty that stutters.
    double work_quantile(double q) const;
    double interval_quantile(double q) const;
    double engine_quantile(double q) const;
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
    // Every frame's figures up to kKept frames (a scripted run is far shorter); a long live
    // session keeps only its first ones, which the read-out does not use.
    static constexpr std::size_t kKept = 1 << 20;
    std::vector<double> m_work_all, m_interval_all, m_engine_all;
};

inline constexpr double kFrameBudgetMs = 1000.0 / 60.0;

}  // namespace rl::app
