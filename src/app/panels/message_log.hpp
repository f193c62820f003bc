#pragma once

#include <deque>
#include <string>
#include <vector>

#include "live/runner.hpp"

// What the app tells the user: the live session's messages and the edits it refused. The status
// bar shows the newest; the Messages window keeps the recent history.
namespace rl::app {

struct LoggedMessage {
    live::Message message;
    double time = 0.0;  // ImGui time when it arrived
};

class MessageLog {
  public:
    void add(live::Level level, std::string text, double now);
    // print: also write warnings and errors to stdout (scripted runs, so a test or a script sees
    // an engine that fell back).
    void take(std::vector<live::Message> messages, double now, bool print = false);
    const std::deque<LoggedMessage>& entries() const { return m_entries; }
    // What the status bar shows: the newest message, except that a warning or error younger than
    // kProblemHoldSeconds is not pushed out by later info (a lesson step's notice must not hide an
    // engine that just fell back to the CPU).
    const LoggedMessage* shown(double now) const;

    // Draws shown(now) in the status bar's colour for its level.
    void draw_shown(double now) const;
    // The whole history, newest last; for the Messages window.
    void draw_history() const;

  private:
    static constexpr std::size_t kMaxEntries = 200;
    static constexpr double kProblemHoldSeconds = 15.0;
    std::deque<LoggedMessage> m_entries;
};

}  // namespace rl::app
