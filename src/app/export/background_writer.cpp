#include "app/export/background_writer.hpp"

#include <exception>
#include <utility>

namespace rl::app {

BackgroundWriter::BackgroundWriter() : m_thread([this] { run(); }) {}

BackgroundWriter::~BackgroundWriter() {
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

bool BackgroundWriter::submit(Job job, std::size_t max_pending) {
    {
        const std::lock_guard lock(m_mutex);
        if (m_jobs.size() >= max_pending) return false;
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
    return true;
}

std::vector<live::Message> BackgroundWriter::take_messages() {
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_messages, {});
}

void BackgroundWriter::wait_idle() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_jobs.empty() && !m_busy; });
}

void BackgroundWriter::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
        // Stopping still drains the queue: a file the user asked for is never dropped at exit.
        if (m_jobs.empty()) return;
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_busy = true;
        lock.unlock();
        live::Message message;
        try {
            message = job();
        } catch (const std::exception& e) {
            message = {live::Level::kError, std::string("export failed: ") + e.what()};
        }
        lock.lock();
        m_busy = false;
        if (!message.text.empty()) m_messages.push_back(std::move(message));
        if (m_jobs.empty()) m_idle.notify_all();
    }
}

}  // namespace rl::app
