#include "app/platform/theme.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdint>
#include <system_error>

namespace rl::app {

namespace {

// Pixel heights at DPI scale 1.
constexpr float kUiSize = 16.0f;
constexpr float kTitleSize = 18.0f;
constexpr float kPresenterUiSize = 26.0f;
constexpr float kPresenterTitleSize = 30.0f;
// ImGui's built-in font is 13 px high.
constexpr float kBuiltinSize = 13.0f;

bool is_file(const std::filesystem::path& path) {
    std::error_code error;
    return std::filesystem::is_regular_file(path, error);
}

ImFont* add_font(const std::filesystem::path& file, float size, bool large) {
    ImFontConfig config;
    // Horizontal oversampling sharpens small text; at projector sizes it only grows the atlas.
    config.OversampleH = large ? 1 : 2;
    config.OversampleV = 1;
    return ImGui::GetIO().Fonts->AddFontFromFileTTF(file.string().c_str(), size, &config,
                                                    font_glyph_ranges());
}

ImVec4 rgb(float r, float g, float b, float a = 1.0f) {
    return ImVec4(r, g, b, a);
}

// Exports paint the page colour behind plots, so it has one definition.
ImVec4 page_color(bool presenter) {
    const rl::plot::Rgba c = page_color_for({.presenter = presenter});
    return ImVec4(c.r, c.g, c.b, c.a);
}

// StyleColorsDark with calmer, less saturated accents and softer greys.
void dark_colors(ImGuiStyle& style) {
    ImGui::StyleColorsDark(&style);
    ImVec4* c = style.Colors;
    const ImVec4 accent = rgb(0.22f, 0.30f, 0.40f);
    const ImVec4 accent_hovered = rgb(0.28f, 0.40f, 0.55f);
    const ImVec4 accent_active = rgb(0.32f, 0.47f, 0.66f);
    c[ImGuiCol_Text] = rgb(0.90f, 0.91f, 0.92f);
    c[ImGuiCol_TextDisabled] = rgb(0.52f, 0.54f, 0.57f);
    c[ImGuiCol_WindowBg] = page_color(false);
    c[ImGuiCol_ChildBg] = rgb(0.0f, 0.0f, 0.0f, 0.0f);
    c[ImGuiCol_PopupBg] = rgb(0.13f, 0.135f, 0.145f, 0.98f);
    c[ImGuiCol_Border] = rgb(0.28f, 0.29f, 0.31f, 0.8f);
    c[ImGuiCol_FrameBg] = rgb(0.18f, 0.19f, 0.21f);
    c[ImGuiCol_FrameBgHovered] = rgb(0.24f, 0.26f, 0.29f);
    c[ImGuiCol_FrameBgActive] = rgb(0.28f, 0.31f, 0.35f);
    c[ImGuiCol_TitleBg] = rgb(0.09f, 0.095f, 0.10f);
    c[ImGuiCol_TitleBgActive] = rgb(0.14f, 0.17f, 0.22f);
    c[ImGuiCol_TitleBgCollapsed] = rgb(0.09f, 0.095f, 0.10f, 0.75f);
    c[ImGuiCol_MenuBarBg] = rgb(0.13f, 0.135f, 0.145f);
    c[ImGuiCol_CheckMark] = rgb(0.45f, 0.70f, 0.95f);
    c[ImGuiCol_SliderGrab] = rgb(0.38f, 0.60f, 0.85f);
    c[ImGuiCol_SliderGrabActive] = rgb(0.48f, 0.70f, 0.95f);
    c[ImGuiCol_Button] = accent;
    c[ImGuiCol_ButtonHovered] = accent_hovered;
    c[ImGuiCol_ButtonActive] = accent_active;
    c[ImGuiCol_Header] = rgb(0.22f, 0.30f, 0.40f, 0.8f);
    c[ImGuiCol_HeaderHovered] = accent_hovered;
    c[ImGuiCol_HeaderActive] = accent_active;
    c[ImGuiCol_Separator] = c[ImGuiCol_Border];
    c[ImGuiCol_SeparatorHovered] = accent_hovered;
    c[ImGuiCol_SeparatorActive] = accent_active;
    c[ImGuiCol_ResizeGrip] = rgb(0.28f, 0.40f, 0.55f, 0.25f);
    c[ImGuiCol_ResizeGripHovered] = rgb(0.28f, 0.40f, 0.55f, 0.67f);
    c[ImGuiCol_ResizeGripActive] = accent_active;
    c[ImGuiCol_Tab] = rgb(0.16f, 0.19f, 0.23f);
    c[ImGuiCol_TabHovered] = accent_hovered;
    c[ImGuiCol_TabActive] = accent;
    c[ImGuiCol_TabUnfocused] = rgb(0.13f, 0.15f, 0.17f);
    c[ImGuiCol_TabUnfocusedActive] = rgb(0.18f, 0.22f, 0.28f);
    c[ImGuiCol_TextSelectedBg] = rgb(0.32f, 0.47f, 0.66f, 0.45f);
}

// Near-black on white, dark borders, saturated accents that survive a washed-out projector.
void presenter_colors(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    ImVec4* c = style.Colors;
    const ImVec4 accent = rgb(0.80f, 0.87f, 0.97f);
    const ImVec4 accent_hovered = rgb(0.64f, 0.77f, 0.95f);
    const ImVec4 accent_active = rgb(0.50f, 0.67f, 0.92f);
    const ImVec4 ink = rgb(0.0f, 0.0f, 0.0f);
    const ImVec4 strong = rgb(0.0f, 0.30f, 0.70f);
    c[ImGuiCol_Text] = ink;
    c[ImGuiCol_TextDisabled] = rgb(0.30f, 0.30f, 0.30f);
    c[ImGuiCol_WindowBg] = page_color(true);
    c[ImGuiCol_ChildBg] = rgb(1.0f, 1.0f, 1.0f, 0.0f);
    c[ImGuiCol_PopupBg] = rgb(1.0f, 1.0f, 1.0f);
    c[ImGuiCol_Border] = rgb(0.12f, 0.12f, 0.12f);
    c[ImGuiCol_BorderShadow] = rgb(0.0f, 0.0f, 0.0f, 0.0f);
    c[ImGuiCol_FrameBg] = rgb(0.93f, 0.93f, 0.93f);
    c[ImGuiCol_FrameBgHovered] = rgb(0.85f, 0.90f, 0.97f);
    c[ImGuiCol_FrameBgActive] = accent_hovered;
    c[ImGuiCol_TitleBg] = rgb(0.86f, 0.86f, 0.86f);
    c[ImGuiCol_TitleBgActive] = rgb(0.72f, 0.80f, 0.93f);
    c[ImGuiCol_TitleBgCollapsed] = rgb(0.90f, 0.90f, 0.90f);
    c[ImGuiCol_MenuBarBg] = rgb(0.90f, 0.90f, 0.90f);
    c[ImGuiCol_ScrollbarBg] = rgb(0.94f, 0.94f, 0.94f);
    c[ImGuiCol_ScrollbarGrab] = rgb(0.55f, 0.55f, 0.55f);
    c[ImGuiCol_ScrollbarGrabHovered] = rgb(0.40f, 0.40f, 0.40f);
    c[ImGuiCol_ScrollbarGrabActive] = rgb(0.25f, 0.25f, 0.25f);
    c[ImGuiCol_CheckMark] = strong;
    c[ImGuiCol_SliderGrab] = strong;
    c[ImGuiCol_SliderGrabActive] = rgb(0.0f, 0.22f, 0.55f);
    c[ImGuiCol_Button] = accent;
    c[ImGuiCol_ButtonHovered] = accent_hovered;
    c[ImGuiCol_ButtonActive] = accent_active;
    c[ImGuiCol_Header] = accent;
    c[ImGuiCol_HeaderHovered] = accent_hovered;
    c[ImGuiCol_HeaderActive] = accent_active;
    c[ImGuiCol_Separator] = rgb(0.20f, 0.20f, 0.20f);
    c[ImGuiCol_SeparatorHovered] = strong;
    c[ImGuiCol_SeparatorActive] = strong;
    c[ImGuiCol_ResizeGrip] = rgb(0.20f, 0.20f, 0.20f, 0.35f);
    c[ImGuiCol_ResizeGripHovered] = strong;
    c[ImGuiCol_ResizeGripActive] = strong;
    c[ImGuiCol_Tab] = rgb(0.86f, 0.86f, 0.86f);
    c[ImGuiCol_TabHovered] = accent_hovered;
    c[ImGuiCol_TabActive] = rgb(0.72f, 0.80f, 0.93f);
    c[ImGuiCol_TabUnfocused] = rgb(0.90f, 0.90f, 0.90f);
    c[ImGuiCol_TabUnfocusedActive] = accent;
    c[ImGuiCol_TextSelectedBg] = rgb(0.55f, 0.72f, 0.95f, 0.6f);
    c[ImGuiCol_NavHighlight] = strong;
}

}  // namespace

std::string Theme::load_fonts(float dpi_scale, const std::filesystem::path& font_dir) {
    ImGuiIO& io = ImGui::GetIO();
    // A texture the backend already uploaded shows the old atlas; it is rebuilt below.
    const bool uploaded = io.Fonts->TexID != nullptr;
    if (uploaded) ImGui_ImplOpenGL3_DestroyFontsTexture();
    io.Fonts->Clear();

    m_font_dpi = std::clamp(dpi_scale, 1.0f, 4.0f);
    const float dpi = m_font_dpi;
    const std::filesystem::path sans = font_dir / "DejaVuSans.ttf";
    const std::filesystem::path bold = font_dir / "DejaVuSans-Bold.ttf";
    const std::filesystem::path mono = font_dir / "DejaVuSansMono.ttf";
    std::string note;

    m_builtin_font = !is_file(sans);
    if (m_builtin_font) {
        ImFont* builtin = io.Fonts->AddFontDefault();
        m_normal = {builtin, builtin, builtin};
        m_presenter = m_normal;
        note = sans.string() + " not found: using ImGui's built-in font, enlarged";
    } else {
        m_normal.ui = add_font(sans, kUiSize * dpi, false);
        m_presenter.ui = add_font(sans, kPresenterUiSize * dpi, true);
        const bool have_bold = is_file(bold);
        const bool have_mono = is_file(mono);
        m_normal.title = have_bold ? add_font(bold, kTitleSize * dpi, false) : m_normal.ui;
        m_presenter.title =
            have_bold ? add_font(bold, kPresenterTitleSize * dpi, true) : m_presenter.ui;
        m_normal.mono = have_mono ? add_font(mono, kUiSize * dpi, false) : m_normal.ui;
        m_presenter.mono =
            have_mono ? add_font(mono, kPresenterUiSize * dpi, true) : m_presenter.ui;
        if (!have_bold) note = bold.string() + " not found: titles use the regular font";
        if (!have_mono) {
            if (!note.empty()) note += "; ";
            note += mono.string() + " not found: numbers use the proportional font";
        }
    }
    io.Fonts->Build();
    if (uploaded) ImGui_ImplOpenGL3_CreateFontsTexture();
    // Styled for the DPI the fonts were made for, so text is not rescaled until apply() says so.
    ThemeSettings settings = m_settings;
    settings.dpi_scale = m_font_dpi;
    apply(settings);
    return note;
}

void Theme::apply(const ThemeSettings& settings) {
    m_settings = settings;
    m_settings.dpi_scale = std::clamp(settings.dpi_scale, 1.0f, 4.0f);
    const bool presenter = m_settings.presenter;
    const float dpi = m_settings.dpi_scale;

    ImGuiStyle style;
    if (presenter) {
        presenter_colors(style);
    } else {
        dark_colors(style);
    }
    style.WindowRounding = 4.0f;
    style.ChildRounding = 4.0f;
    style.FrameRounding = 4.0f;
    style.PopupRounding = 4.0f;
    style.ScrollbarRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.TabRounding = 4.0f;
    style.WindowPadding = ImVec2(10.0f, 10.0f);
    style.FramePadding = ImVec2(8.0f, 4.0f);
    style.ItemSpacing = ImVec2(8.0f, 6.0f);
    style.ItemInnerSpacing = ImVec2(6.0f, 4.0f);
    style.CellPadding = ImVec2(6.0f, 3.0f);
    style.ScrollbarSize = 14.0f;
    style.GrabMinSize = 12.0f;
    style.ScaleAllSizes(dpi * (presenter ? kPresenterScale : 1.0f));
    // ScaleAllSizes leaves border widths alone; presenter borders must show on a projector.
    style.WindowBorderSize = (presenter ? 2.0f : 1.0f) * dpi;
    style.ChildBorderSize = (presenter ? 2.0f : 1.0f) * dpi;
    style.PopupBorderSize = (presenter ? 2.0f : 1.0f) * dpi;
    style.FrameBorderSize = (presenter ? 1.5f : 0.0f) * dpi;
    style.TabBorderSize = (presenter ? 1.5f : 0.0f) * dpi;
    // The font atlas is sampled nearest (Window::sample_font_atlas_nearest), which would make
    // texture-based line anti-aliasing jagged; geometric fringes look the same.
    style.AntiAliasedLinesUseTex = false;
    ImGui::GetStyle() = style;

    ImGuiIO& io = ImGui::GetIO();
    io.FontDefault = ui_font();
    if (m_builtin_font) {
        io.FontGlobalScale = dpi * (presenter ? kPresenterUiSize : kUiSize) / kBuiltinSize;
    } else {
        // Fonts were rasterised for m_font_dpi; another DPI is matched by scaling (softer text)
        // until the app rebuilds the atlas.
        io.FontGlobalScale = dpi / m_font_dpi;
    }
}

rl::plot::PlotStyle Theme::plot_style() const {
    return plot_style_for(m_settings);
}

std::array<float, 3> Theme::clear_color() const {
    // The tiled panels draw no background of their own (see App), so the clear is their colour.
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    return {bg.x, bg.y, bg.z};
}

}  // namespace rl::app
