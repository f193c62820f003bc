#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rl::engine {

// A fixed set of workers that split a numbered list of tasks. The caller's thread works too.
// Callers make results independent of the worker count by writing each task's result to its
// own slot and combining the slots in task order.
class ThreadPool {
  public:
    explicit ThreadPool(int threads);  // threads <= 0: one per core
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(m_workers.size()) + 1; }

    // Runs task(index, worker) for index in [0, count); worker is in [0, size()).
    void run(std::size_t count, const std::function<void(std::size_t, int)>& task);

  private:
    void worker_loop(int worker);
    void drain(int worker);

    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    const std::function<void(std::size_t, int)>* m_task = nullptr;
    std::size_t m_count = 0;
    std::atomic<std::size_t> m_next{0};
    int m_busy = 0;
    std::size_t m_generation = 0;
    bool m_stop = false;
};

}  // namespace rl::engine
