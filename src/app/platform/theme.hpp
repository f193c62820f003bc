#pragma once

#include <imgui.h>

#include <array>
#include <filesystem>
#include <string>

#include "app/views/plot_theme.hpp"
#include "plot/plot.hpp"

namespace rl::app {

// The fonts, the ImGui style and the matching plot style. The app owns one; nothing is kept in
// static locals. Fonts for both modes are built once, at start, because rebuilding the atlas
// later means re-uploading its texture; switching modes only switches fonts.
class Theme {
  public:
    static constexpr const char* kDefaultFontDir = "/usr/share/fonts/truetype/dejavu";

    // Builds the atlas with DejaVu Sans, Sans Bold and Sans Mono at the normal and presenter sizes
    // times dpi_scale. Call after Window::create() and before the first frame (later calls also
    // work, outside a frame, and re-upload the texture). Returns "" or a note for the user when a
    // font file is missing: without DejaVuSans.ttf every font is ImGui's built-in one, enlarged
    // with FontGlobalScale.
    std::string load_fonts(float dpi_scale,
                           const std::filesystem::path& font_dir = kDefaultFontDir);

    // Sets ImGui's style and default font for the mode and DPI. Call between frames.
    void apply(const ThemeSettings& settings);
    const ThemeSettings& settings() const { return m_settings; }

    // The current mode's fonts (null before load_fonts); push them for titles and numbers.
    ImFont* ui_font() const { return ui_font(m_settings.presenter); }
    ImFont* mono_font() const { return mono_font(m_settings.presenter); }
    ImFont* title_font() const { return title_font(m_settings.presenter); }
    ImFont* ui_font(bool presenter) const { return fonts(presenter).ui; }
    ImFont* mono_font(bool presenter) const { return fonts(presenter).mono; }
    ImFont* title_font(bool presenter) const { return fonts(presenter).title; }

    // Plot colours and sizes that match the current mode, with a colour-blind-safe palette
    // (Okabe-Ito hues; darker shades on the presenter's white).
    rl::plot::PlotStyle plot_style() const;
    // The colour behind all windows.
    std::array<float, 3> clear_color() const;

  private:
    struct FontSet {
        ImFont* ui = nullptr;
        ImFont* mono = nullptr;
        ImFont* title = nullptr;
    };
    const FontSet& fonts(bool presenter) const { return presenter ? m_presenter : m_normal; }

    ThemeSettings m_settings;
    FontSet m_normal;
    FontSet m_presenter;
    float m_font_dpi = 1.0f;
    bool m_builtin_font = false;
};

}  // namespace rl::app
