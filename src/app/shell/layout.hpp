#pragma once

#include <imgui.h>

// Where the panels go: the controls on the left, the lesson strip over the four plots in a 2x2
// grid on the right, the This step panel under them, the status bar at the bottom. Recomputed when
// the window size or the presenter mode changes; in between the user may move panels and ImGui
// remembers them.
namespace rl::app {

struct Rect {
    ImVec2 pos, size;
};

struct PanelLayout {
    Rect controls, lesson, plots, step, status;
};

// display: the window in ImGui units; top: the menu bar's height; unit: the font size. A hidden
// panel gives its room to the plots (a projector wants the plots large).
// lesson_h: the lesson strip above the plots (0: none); it gets at most 40% of the height.
PanelLayout compute_layout(ImVec2 display, float top, float unit, bool show_controls = true,
                           bool show_step = true, float lesson_h = 0.0f);

}  // namespace rl::app
