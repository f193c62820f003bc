#pragma once

#include <imgui.h>

#include "plot/recording.hpp"

// Draws a Recording onto an ImDrawList. The screen shows plots this way (record, then replay), so
// what is exported from a Recording is what was on the screen.
namespace rl::plot {

// Buffers a replay works in; pass the same one every frame to stop it allocating.
struct ReplayScratch {
    ImVector<ImVec2> points;
    ImVector<ImVec2> dash;
};

// Draws `rec` with its top-left corner at `origin` (screen pixels). Needs a current ImGui context
// (for the font). Without scratch it uses buffers of its own.
void ReplayRecording(const Recording& rec, ImDrawList* draw_list, ImVec2 origin,
                     ReplayScratch* scratch = nullptr);

}  // namespace rl::plot
