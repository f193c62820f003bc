#pragma once

#include <array>
#include <cstdint>

// The density image's colour scale, shared by the GPU shader (shaders/density.frag holds the same
// polynomial), the CPU fallback and the SVG export, so all three show the same colours.
namespace rl::app {

// A viridis-like perceptual colormap: dark violet at 0, teal at 0.5, yellow at 1, with lightness
// rising monotonically (readable in greyscale and by colour-blind viewers). t is clamped to
// [0, 1]; NaN maps to 0. Alpha is always 255.
std::array<std::uint8_t, 4> colormap_rgba(float t);

// The colour-scale position of a histogram bin: 0 for an empty bin, otherwise
// kDensityFloor + (1 - kDensityFloor) * log1p(count) / log1p(max_count). The log keeps sparse
// bins visible next to a dense core; the floor keeps a lone point off the colormap's darkest end,
// which would vanish on the dark theme's background.
float density_level(std::uint32_t count, std::uint32_t max_count);

inline constexpr float kDensityFloor = 0.2f;

}  // namespace rl::app
