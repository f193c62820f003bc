#pragma once

#include <string>

#include "plot/recording.hpp"

// Colours and strokes as SVG attributes, shared by the SVG exporter's files.
namespace rl::plot {

// Whether ImGui would draw this colour at all (it skips alpha 0), so the SVG skips it too.
bool paints(const Rgba& c);
// ` fill="rgb(r,g,b)"` and, when translucent, ` fill-opacity="a"`.
void append_fill(std::string& out, const Rgba& c);
// ` fill="none" stroke="rgb(r,g,b)" stroke-width="w"` and, when translucent, `stroke-opacity`.
void append_stroke(std::string& out, const Rgba& c, float width);

}  // namespace rl::plot
