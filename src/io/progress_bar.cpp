#include "io/progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace rl::io {

namespace {
// Redrawing faster than this only costs terminal bandwidth; 20 per second still looks smooth.
constexpr std::chrono::milliseconds kMinRedrawInterval{50};
constexpr int kBarWidth = 30;
}  // namespace

ProgressBar::ProgressBar(std::string label, long long total)
    : m_label(std::move(label)),
      m_total(std::max(total, 1LL)),
      m_enabled(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
    finish();
}

void ProgressBar::update(long long done) {
    if (!m_enabled || m_finished) return;
    m_last_done = done;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_draw < kMinRedrawInterval) return;
    m_last_draw = now;
    draw(done);
}

void ProgressBar::finish() {
    if (!m_enabled || m_finished) return;
    m_finished = true;
    if (m_last_done < 0) return;  // never drawn: leave the terminal as it was
    draw(m_last_done);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

void ProgressBar::draw(long long done) {
    const long long shown = std::clamp(done, 0LL, m_total);
    const auto filled = static_cast<int>(shown * kBarWidth / m_total);
    char bar[kBarWidth + 1];
    for (int i = 0; i < kBarWidth; ++i)
        bar[i] = i < filled ? '#' : '.';
    bar[kBarWidth] = '\0';
    // Rounded down, so 100% means done.
    std::fprintf(stderr, "\r%s [%s] %lld/%lld (%3lld%%)", m_label.c_str(), bar, done, m_total,
                 shown * 100 / m_total);
    std::fflush(stderr);
}

}  // namespace rl::io
