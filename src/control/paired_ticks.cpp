#include "control/paired_ticks.hpp"

#include <chrono>

namespace rl::control {

void tick_pair(live::Runner& a, live::Runner* b, bool wait) {
    if (b == nullptr) {
        a.frame();
        if (wait) a.wait_idle();
        return;
    }
    if (wait) {
        a.frame();
        b->frame();
        a.wait_idle();
        b->wait_idle();
        return;
    }
    constexpr std::chrono::milliseconds kNoWait{0};
    if (!a.wait_idle_for(kNoWait) || !b->wait_idle_for(kNoWait)) return;
    a.frame();
    b->frame();
}

}  // namespace rl::control
