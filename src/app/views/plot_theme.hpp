#pragma once

#include <imgui.h>

#include "plot/plot.hpp"

// The theme's choices that plots need, without fonts or GL: the headless SVG export draws the
// same plots as the window with these colours.
namespace rl::app {

struct ThemeSettings {
    // A light, high-contrast theme with everything larger, for a projector seen from the back of
    // a classroom.
    bool presenter = false;
    float dpi_scale = 1.0f;  // the window's content scale
};

// How much larger presenter mode draws widgets and plots than the normal theme.
inline constexpr float kPresenterScale = 1.6f;

// Plot colours and sizes for the mode, with a colour-blind-safe palette (Okabe-Ito hues; darker
// shades on the presenter's white). The plot background is transparent: plots sit on their
// panel's colour.
rl::plot::PlotStyle plot_style_for(const ThemeSettings& settings);

// The colour the plots sit on in that mode (the panels' background), for exports.
rl::plot::Rgba page_color_for(const ThemeSettings& settings);

// The characters the fonts load: Latin-1 plus what the lessons and labels write (Greek letters,
// dashes, arrows, math operators). For the window's fonts and the headless export's measuring.
const ImWchar* font_glyph_ranges();

}  // namespace rl::app
