#include "app/shell/layout.hpp"

#include <algorithm>

namespace rl::app {

PanelLayout compute_layout(ImVec2 display, float top, float unit, bool show_controls,
                           bool show_step, float lesson_h) {
    PanelLayout l;
    const float status_h = unit * 1.9f;
    const float body_h = std::max(display.y - top - status_h, unit * 10.0f);
    // The controls want about 22 characters of fields and labels, the plots the rest; with large
    // type (presenter mode) the plots keep at least two thirds of the width, and the step panel
    // at most a quarter of the height, and the panels scroll.
    const float controls_w =
        show_controls
            ? std::min(std::clamp(display.x * 0.27f, unit * 22.0f, unit * 34.0f), display.x * 0.3f)
            : 0.0f;
    const float right_w = std::max(display.x - controls_w, unit * 20.0f);
    float step_h =
        show_step ? std::min(std::clamp(body_h * 0.27f, unit * 9.0f, unit * 16.0f), body_h * 0.3f)
                  : 0.0f;
    // The lesson's words are what a class reads first: up to 40% of the height, so a long step
    // fits at large type without scrolling, leaving the plots the rest.
    lesson_h = std::min(std::max(lesson_h, 0.0f), body_h * 0.4f);
    // The plots keep more than half the height: the step panel gives way first (it scrolls), and
    // goes when too little of it would be left to read.
    const float plots_min = body_h * 0.58f;
    const float step_room = std::max(body_h - lesson_h - plots_min, 0.0f);
    step_h = step_h > step_room ? (step_room >= unit * 6.0f ? step_room : 0.0f) : step_h;
    l.controls = {{0.0f, top}, {controls_w, body_h}};
    l.lesson = {{controls_w, top}, {right_w, lesson_h}};
    l.plots = {{controls_w, top + lesson_h}, {right_w, body_h - step_h - lesson_h}};
    l.step = {{controls_w, top + body_h - step_h}, {right_w, step_h}};
    l.status = {{0.0f, top + body_h}, {display.x, status_h}};
    return l;
}

}  // namespace rl::app
