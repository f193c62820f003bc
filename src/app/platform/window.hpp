#pragma once

#include <imgui.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/platform/key_taps.hpp"

struct GLFWwindow;

namespace rl::app {

struct WindowOptions {
    std::string title = "REINFORCE Lab";
    int width = 1280;
    int height = 800;
    bool visible = true;
    bool vsync = true;
    // ImGui's layout file (usually config_dir() / "imgui.ini"); empty: no layout is saved.
    std::filesystem::path ini_path;
    // Save the window size to window_size_file() on close. Off for screenshots and tests, whose
    // size comes from the command line and must not replace the user's.
    bool remember_size = true;
};

// The one GLFW window with its OpenGL 3.3 core context, glad, and the ImGui context with its
// GLFW and OpenGL3 backends. One per process: it owns glfwInit/glfwTerminate.
//
// Frame order: poll(); if (!minimized()) { begin_frame(); build UI; end_frame(r, g, b);
// [save_screenshot]; swap(); }
class Window {
  public:
    // Null with a one-line `error` when there is no display or no OpenGL 3.3.
    static std::unique_ptr<Window> create(const WindowOptions& options, std::string& error);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;
    Window(Window&&) = delete;
    Window& operator=(Window&&) = delete;

    bool should_close() const;
    void request_close();
    // Iconified, or a framebuffer with no area: there is nothing to draw.
    bool minimized() const;
    // Handles pending events; while minimized it waits up to 0.1 s for one instead, so a minimized
    // app does not spin.
    void poll();
    void begin_frame();
    // Renders ImGui's draw data over a cleared framebuffer; the result stays in the back buffer
    // until swap(), so a screenshot can read it in between.
    void end_frame(float clear_r, float clear_g, float clear_b);
    void swap();

    // The monitor's DPI scale (GLFW content scale), clamped to [1, 4].
    float content_scale() const;
    ImVec2 framebuffer_size() const;
    void set_size(int width, int height);
    GLFWwindow* handle() const { return m_window; }

  private:
    Window() = default;
    void sample_font_atlas_nearest();
    // Writes ImGui's layout (window positions) to m_ini_path, if any.
    void save_layout();

    GLFWwindow* m_window = nullptr;
    bool m_glfw_ready = false;
    bool m_imgui_ready = false;
    bool m_glfw_backend_ready = false;
    bool m_gl_backend_ready = false;
    bool m_remember_size = false;
    std::filesystem::path m_ini_path;
    KeyTaps m_key_taps;
    ImTextureID m_nearest_atlas = nullptr;
};

}  // namespace rl::app
