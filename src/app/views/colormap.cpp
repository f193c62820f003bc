#include "app/views/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace rl::app {

namespace {

// Degree-5 least-squares fit to viridis sampled at t = 0, 1/8, ..., 1 (largest error 3.6/255).
// Coefficients in rising powers of t; keep in step with shaders/density.frag.
constexpr std::array<std::array<float, 6>, 3> kCoefficients{{
    {0.267563f, 0.057560f, 1.141844f, -12.211454f, 22.362411f, -10.626124f},
    {0.003675f, 1.565220f, -1.631080f, 1.986197f, -0.936057f, -0.082373f},
    {0.327483f, 2.296441f, -10.877426f, 27.396645f, -32.921139f, 13.921046f},
}};

float horner(const std::array<float, 6>& c, float t) {
    float value = c[5];
    for (int i = 4; i >= 0; --i)
        value = value * t + c[static_cast<std::size_t>(i)];
    return value;
}

std::uint8_t to_byte(float channel) {
    return static_cast<std::uint8_t>(std::lround(std::clamp(channel, 0.0f, 1.0f) * 255.0f));
}

}  // namespace

std::array<std::uint8_t, 4> colormap_rgba(float t) {
    // std::clamp passes NaN through, and a NaN colour would be undefined.
    if (!(t >= 0.0f)) t = 0.0f;
    t = std::min(t, 1.0f);
    return {to_byte(horner(kCoefficients[0], t)), to_byte(horner(kCoefficients[1], t)),
            to_byte(horner(kCoefficients[2], t)), 255};
}

std::array<std::uint8_t, 4> diverging_rgba(double t) {
    if (!std::isfinite(t)) t = 0.0;
    t = std::clamp(t, -1.0, 1.0);
    constexpr float kMiddle[3] = {0.92f, 0.92f, 0.92f};
    constexpr float kDown[3] = {0.80f, 0.13f, 0.15f};  // -1
    constexpr float kUp[3] = {0.10f, 0.32f, 0.78f};    // +1
    const float* end = t < 0.0 ? kDown : kUp;
    const auto u = static_cast<float>(std::abs(t));
    std::array<std::uint8_t, 4> rgba{0, 0, 0, 255};
    for (std::size_t c = 0; c < 3; ++c)
        rgba[c] = to_byte(kMiddle[c] + u * (end[c] - kMiddle[c]));
    return rgba;
}

float density_level(std::uint32_t count, std::uint32_t max_count) {
    if (max_count == 0 || count == 0) return 0.0f;
    const double fraction =
        std::log1p(static_cast<double>(count)) / std::log1p(static_cast<double>(max_count));
    return kDensityFloor + (1.0f - kDensityFloor) * static_cast<float>(std::min(fraction, 1.0));
}

std::vector<std::uint8_t> density_rgba(const std::uint32_t* counts, int bins_x, int bins_y) {
    const std::size_t width = static_cast<std::size_t>(std::max(bins_x, 0));
    const std::size_t height = static_cast<std::size_t>(std::max(bins_y, 0));
    std::vector<std::uint8_t> rgba(width * height * 4);
    if (counts == nullptr) return rgba;
    const std::uint32_t max_count = *std::max_element(counts, counts + width * height);
    std::array<std::uint8_t, 4> empty = colormap_rgba(kDensityFloor);
    empty[3] = 0;
    std::uint8_t* out = rgba.data();
    for (std::size_t y = 0; y < height; ++y) {
        const std::uint32_t* row = counts + (height - 1 - y) * width;
        for (std::size_t x = 0; x < width; ++x, out += 4) {
            const std::array<std::uint8_t, 4> c =
                row[x] == 0 ? empty : colormap_rgba(density_level(row[x], max_count));
            std::copy(c.begin(), c.end(), out);
        }
    }
    return rgba;
}

}  // namespace rl::app
