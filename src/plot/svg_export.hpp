#pragma once

#include <string>

#include "plot/recording.hpp"

namespace rl::plot {

struct SvgOptions {
    // The canvas under the plot, which the app's plots leave unpainted (they sit on their
    // panel's colour); alpha 0: transparent.
    Rgba background{1, 1, 1, 1};
    std::string font_family = "DejaVu Sans, Verdana, Arial, sans-serif";
};

// A standalone SVG 1.1 document that draws `rec` as replay draws it on the screen, one pixel a
// user unit. The structure is described in docs/EXPORT.md.
std::string recording_to_svg(const Recording& rec, const SvgOptions& options = {});

}  // namespace rl::plot
