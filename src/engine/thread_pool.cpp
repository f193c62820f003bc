#include "engine/thread_pool.hpp"

namespace rl::engine {

ThreadPool::ThreadPool(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int w = 1; w < threads; ++w)
        m_workers.emplace_back([this, w] { worker_loop(w); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (std::thread& t : m_workers)
        t.join();
}

void ThreadPool::drain(int worker) {
    for (std::size_t i = m_next.fetch_add(1); i < m_count; i = m_next.fetch_add(1))
        (*m_task)(i, worker);
}

void ThreadPool::run(std::size_t count, const std::function<void(std::size_t, int)>& task) {
    if (count == 0) return;
    if (m_workers.empty() || count == 1) {
        for (std::size_t i = 0; i < count; ++i)
            task(i, 0);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_task = &task;
        m_count = count;
        m_next.store(0);
        m_busy = static_cast<int>(m_workers.size());
        ++m_generation;
    }
    m_wake.notify_all();
    drain(0);
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_busy == 0; });
    m_task = nullptr;
}

void ThreadPool::worker_loop(int worker) {
    std::size_t seen = 0;
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop) return;
            seen = m_generation;
        }
        drain(worker);
        {
            std::lock_guard lock(m_mutex);
            if (--m_busy == 0) m_done.notify_one();
        }
    }
}

}  // namespace rl::engine
