#pragma once

#include "control/compare_pair.hpp"
#include "live/runner.hpp"

// Play, pause, step, reset and the pace, for every runner of the pair at once, so A and B take the
// same steps and differ only in their estimator.
namespace rl::control {

class Transport {
  public:
    explicit Transport(ComparePair& pair) : m_pair(pair) {}

    bool playing() const { return m_pair.a().playing(); }
    void set_playing(bool playing);
    void toggle() { set_playing(!playing()); }
    // Pauses and takes exactly one step.
    void step();
    // Back to step 0 with the current settings.
    void reset();
    live::Pace pace() const { return m_pair.a().pace(); }
    void set_pace(const live::Pace& pace);

    // Once per frame: lets both runners take their tick in step. With `wait` (scripted runs and
    // tests) it returns when both ticks are done.
    void tick(bool wait);
    // Waits until both runners have done everything asked of them.
    void wait_idle();

  private:
    template <typename Command>
    void each(Command&& command) {
        command(m_pair.a());
        if (live::Runner* b = m_pair.b()) command(*b);
    }

    ComparePair& m_pair;
};

}  // namespace rl::control
