#include "control/transport.hpp"

#include "control/paired_ticks.hpp"

namespace rl::control {

void Transport::set_playing(bool playing) {
    each([playing](live::Runner& r) { r.set_playing(playing); });
}

void Transport::step() {
    each([](live::Runner& r) { r.step_once(); });
}

void Transport::reset() {
    each([](live::Runner& r) { r.reset(); });
}

void Transport::set_pace(const live::Pace& pace) {
    each([&pace](live::Runner& r) {
        r.set_pace(pace.steps_per_frame, pace.speed);
        r.set_pause_points(pace.pause_at);
    });
}

void Transport::tick(bool wait) {
    tick_pair(m_pair.a(), m_pair.b(), wait);
}

void Transport::wait_idle() {
    each([](live::Runner& r) { r.wait_idle(); });
}

}  // namespace rl::control
