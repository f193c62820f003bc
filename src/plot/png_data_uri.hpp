#pragma once

#include <string>

#include "plot/recording.hpp"

namespace rl::plot {

// "data:image/png;base64,..." holding the pixels, for an SVG <image>; empty when there is nothing
// to encode (no pixels, or fewer RGBA bytes than width * height * 4).
std::string png_data_uri(const ImagePixels& pixels);

}  // namespace rl::plot
