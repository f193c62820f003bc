#include "app/views/plot_theme.hpp"

#include <cstdint>

namespace rl::app {

namespace {

constexpr rl::plot::Rgba hex(std::uint32_t rgb, float alpha = 1.0f) {
    return {static_cast<float>((rgb >> 16) & 0xFF) / 255.0f,
            static_cast<float>((rgb >> 8) & 0xFF) / 255.0f, static_cast<float>(rgb & 0xFF) / 255.0f,
            alpha};
}

// Latin-1 plus what the lessons write: Greek letters, dashes and bullets, arrows, and the math
// operators of the formulas. Kept short: the atlas holds six fonts.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 (includes the superscripts and the middle dot)
    0x0391, 0x03C9,  // Greek
    0x2010, 0x2027,  // dashes, quotes, bullet, ellipsis
    0x2190, 0x2193,  // arrows
    0x2202, 0x2202,  // partial
    0x2207, 0x2208,  // nabla, element of
    0x2211, 0x2212,  // sum, minus
    0x221A, 0x221A,  // square root
    0x221D, 0x221E,  // proportional, infinity
    0x2248, 0x2248,  // almost equal
    0x2260, 0x2265,  // not equal, less or equal, greater or equal
    0x22C5, 0x22C5,  // dot operator
    0,
};

}  // namespace

const ImWchar* font_glyph_ranges() {
    return kGlyphRanges;
}

rl::plot::PlotStyle plot_style_for(const ThemeSettings& settings) {
    rl::plot::PlotStyle style;
    if (settings.presenter) {
        style.background = hex(0xFFFFFF);
        style.frame = hex(0x1A1A1A);
        style.grid = hex(0xBDBDBD);
        style.text = hex(0x000000);
        style.text_dim = hex(0x333333);
        style.legend_background = hex(0xFFFFFF, 0.92f);
        // Okabe-Ito, then Tol's and a few more: twelve hues that stay apart on white for normal
        // vision and the common colour-vision deficiencies (tests/test_palette.cpp); a grey,
        // apart from all of them, for "the rest".
        style.palette = {hex(0x0072B2), hex(0xE69F00), hex(0x009E73), hex(0xD55E00),
                         hex(0xCC79A7), hex(0x332288), hex(0x77AADD), hex(0x8C564B),
                         hex(0xB15928), hex(0x999933), hex(0x882255), hex(0x44BB99)};
        style.rest = hex(0x6E6E6E);
        style.line_width = 3.0f;
        style.marker_size = 4.5f;
    } else {
        style.background = hex(0x1A1C1F);
        style.frame = hex(0x73777D);
        style.grid = hex(0x34373C);
        style.text = hex(0xE6E8EB);
        style.text_dim = hex(0xA0A4AA);
        style.legend_background = hex(0x1E2024, 0.88f);
        // Okabe-Ito in the same hue order as the presenter palette, so the first five keep their
        // hue across modes; then light hues that stay apart on this background, and a light grey
        // for "the rest".
        style.palette = {hex(0x56B4E9), hex(0xE69F00), hex(0x009E73), hex(0xD55E00),
                         hex(0xCC79A7), hex(0xF0E442), hex(0xFDBF6F), hex(0xA6CEE3),
                         hex(0x999933), hex(0xEE6677), hex(0xBBCC33), hex(0x44BB99)};
        style.rest = hex(0xB8B8B8);
        style.line_width = 2.0f;
        style.marker_size = 3.0f;
    }
    style.scale = settings.dpi_scale * (settings.presenter ? kPresenterScale : 1.0f);
    // Plots sit on their panel's colour: with no fill of their own, software OpenGL (llvmpipe
    // under Xvfb, projectors on old laptops) blends a third fewer pixels each frame.
    style.background.a = 0.0f;
    return style;
}

rl::plot::Rgba page_color_for(const ThemeSettings& settings) {
    return settings.presenter ? rl::plot::Rgba{1.0f, 1.0f, 1.0f, 1.0f}
                              : rl::plot::Rgba{0.11f, 0.115f, 0.125f, 1.0f};
}

}  // namespace rl::app
