#include "app/layout.hpp"

#include <algorithm>

namespace rl::app {

PanelLayout compute_layout(ImVec2 display, float top, float unit) {
    PanelLayout l;
    const float status_h = unit * 1.9f;
    const float body_h = std::max(display.y - top - status_h, unit * 10.0f);
    // The controls need about 26 characters of labels and fields; the plots get the rest.
    const float controls_w = std::clamp(display.x * 0.27f, unit * 22.0f, unit * 34.0f);
    const float right_w = std::max(display.x - controls_w, unit * 20.0f);
    const float step_h = std::clamp(body_h * 0.27f, unit * 9.0f, unit * 16.0f);
    l.controls = {{0.0f, top}, {controls_w, body_h}};
    l.plots = {{controls_w, top}, {right_w, body_h - step_h}};
    l.step = {{controls_w, top + body_h - step_h}, {right_w, step_h}};
    l.status = {{0.0f, top + body_h}, {display.x, status_h}};
    return l;
}

}  // namespace rl::app
