#pragma once

#include <chrono>
#include <string>

namespace rl::io {

// A one-line progress bar on stderr, redrawn in place. It draws nothing when stderr is not a
// terminal, so logs and pipes get no carriage-return noise.
class ProgressBar {
  public:
    ProgressBar(std::string label, long long total);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(long long done);
    // Draws the last state and ends the line; later updates are ignored.
    void finish();

  private:
    void draw(long long done);

    std::string m_label;
    long long m_total;
    bool m_enabled;
    bool m_finished = false;
    long long m_last_done = -1;
    std::chrono::steady_clock::time_point m_last_draw;
};

}  // namespace rl::io
