#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "live/live_model.hpp"

// The results a worker publishes and any number of readers keep for as long as they draw, with
// no lock held while they read: a reader holds a shared pointer to one published buffer, and the
// worker only ever fills a buffer that no reader holds. A window can therefore run any user action
// (saving the session, loading another, ending compare mode) in the middle of drawing without
// waiting on, or re-entering, the runner that produced what it draws.
namespace rl::live {

class PublishedResults {
  public:
    // One buffer: the results and which version of each part they hold, so refilling it copies
    // only what changed since it was last filled.
    struct Slot {
        Results results;
        HeldVersions held;
    };

    PublishedResults();

    // Worker side. A buffer no reader holds: a returned one when there is one, else a new one
    // (which fills completely).
    std::unique_ptr<Slot> take_free();
    // A buffer taken but not published (filling it failed): dropped, so nothing half-filled is
    // reused.
    void discard(std::unique_ptr<Slot> slot);
    // Makes `slot` the latest. The one it replaces goes back to the free buffers once its last
    // reader lets go of it.
    void publish(std::unique_ptr<Slot> slot);
    // Whether every buffer there is holds the history of `epoch` (the latest must): then the
    // memory of any earlier history has been freed.
    bool only_epoch_alive(std::uint64_t epoch) const;

    // Reader side: the latest results, kept alive by the pointer; never null.
    std::shared_ptr<const Results> latest() const;

  private:
    struct Pool;
    std::shared_ptr<Pool> m_pool;  // shared with every handed-out pointer's deleter
    mutable std::mutex m_latest_mutex;
    std::shared_ptr<const Results> m_latest;
};

}  // namespace rl::live
