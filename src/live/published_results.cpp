#include "live/published_results.hpp"

#include <algorithm>
#include <utility>

namespace rl::live {

namespace {

// The latest, the one being filled and one spare cover a window that reads every frame; more
// free buffers would only hold memory.
constexpr std::size_t kMaxFreeSlots = 2;

}  // namespace

struct PublishedResults::Pool {
    mutable std::mutex mutex;
    std::vector<std::unique_ptr<Slot>> free;
    std::size_t alive = 0;  // slots in existence: free, latest, held by readers or being filled

    // A buffer's last reader let go: the buffer becomes fillable again. Runs on whichever thread
    // dropped the last pointer; the mutex orders that reader's reads before the worker's writes.
    void give_back(Slot* slot) {
        std::unique_ptr<Slot> owned(slot);
        std::lock_guard lock(mutex);
        if (free.size() < kMaxFreeSlots) {
            free.push_back(std::move(owned));
        } else {
            --alive;
        }
    }
};

PublishedResults::PublishedResults() : m_pool(std::make_shared<Pool>()) {
    publish(take_free());
}

std::unique_ptr<PublishedResults::Slot> PublishedResults::take_free() {
    {
        std::lock_guard lock(m_pool->mutex);
        if (!m_pool->free.empty()) {
            std::unique_ptr<Slot> slot = std::move(m_pool->free.back());
            m_pool->free.pop_back();
            return slot;
        }
        ++m_pool->alive;
    }
    return std::make_unique<Slot>();
}

void PublishedResults::discard(std::unique_ptr<Slot> slot) {
    slot.reset();
    std::lock_guard lock(m_pool->mutex);
    --m_pool->alive;
}

void PublishedResults::publish(std::unique_ptr<Slot> slot) {
    // The pointer owns the whole slot; readers see only its results.
    std::shared_ptr<Slot> owner(slot.release(), [pool = m_pool](Slot* s) { pool->give_back(s); });
    std::shared_ptr<const Results> latest(owner, &owner->results);
    std::shared_ptr<const Results> replaced;
    {
        std::lock_guard lock(m_latest_mutex);
        replaced = std::exchange(m_latest, std::move(latest));
    }
    // `replaced` goes out of scope here, outside the lock: if no reader holds it, it returns to
    // the pool now.
}

bool PublishedResults::only_epoch_alive(std::uint64_t epoch) const {
    std::lock_guard lock(m_pool->mutex);
    return m_pool->alive == m_pool->free.size() + 1 &&
           std::all_of(m_pool->free.begin(), m_pool->free.end(),
                       [epoch](const auto& s) { return s->held.history_epoch == epoch; });
}

std::shared_ptr<const Results> PublishedResults::latest() const {
    std::lock_guard lock(m_latest_mutex);
    return m_latest;
}

}  // namespace rl::live
