#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "live/runner.hpp"

// Encodes and writes export files on a thread of its own, so saving a PNG (tens of milliseconds
// for a full window) never stalls a frame in front of the class.
namespace rl::app {

class BackgroundWriter {
  public:
    using Job = std::function<live::Message()>;

    BackgroundWriter();
    // Finishes every job already submitted, then stops.
    ~BackgroundWriter();
    BackgroundWriter(const BackgroundWriter&) = delete;
    BackgroundWriter& operator=(const BackgroundWriter&) = delete;

    // Queues `job` unless `max_pending` jobs already wait; false then (a recording drops that
    // frame rather than let memory grow).
    bool submit(Job job, std::size_t max_pending);
    // The jobs' messages since the last call, oldest first.
    std::vector<live::Message> take_messages();
    // Blocks until every submitted job has run.
    void wait_idle();

  private:
    void run();

    std::mutex m_mutex;
    std::condition_variable m_wake, m_idle;
    std::deque<Job> m_jobs;
    std::vector<live::Message> m_messages;
    bool m_busy = false;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace rl::app
