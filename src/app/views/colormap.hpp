#pragma once

#include <array>
#include <cstdint>
#include <vector>

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

// A diverging scale for signed weights: red at -1 (pushed down), a light grey at 0, blue at +1
// (pushed up), so the sign reads at a glance and the size by how deep the colour is; red and
// blue stay apart for colour-blind viewers. t is clamped to [-1, 1]; NaN maps to 0.
std::array<std::uint8_t, 4> diverging_rgba(double t);

// The coloured image of a histogram (bins_x * bins_y counts, row-major, row 0 the lowest y) as
// RGBA bytes with row 0 the HIGHEST y, the usual order of an image. Empty bins are transparent
// but keep the colour of a lone point, so filtering at the cloud's edge blends towards the
// colormap's low end rather than towards black.
std::vector<std::uint8_t> density_rgba(const std::uint32_t* counts, int bins_x, int bins_y);

}  // namespace rl::app
