#include "app/platform/window.hpp"

// glad declares the GL functions; GLFW must not include the system's GL header as well.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <glad/gl.h>

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdint>
#include <system_error>

#include "app/platform/config_paths.hpp"
#include "io/atomic_file.hpp"

namespace rl::app {

namespace {

// GLFW reports errors through a plain function pointer with no user data, so the last message
// has to live at file scope; create() reads it to explain a failure.
std::string g_last_glfw_error;

void capture_glfw_error(int code, const char* description) {
    g_last_glfw_error = description != nullptr ? description : "GLFW error " + std::to_string(code);
}

std::string glfw_reason() {
    return g_last_glfw_error.empty() ? std::string("unknown GLFW error") : g_last_glfw_error;
}

}  // namespace

std::unique_ptr<Window> Window::create(const WindowOptions& options, std::string& error) {
    // Built first, so that whatever is set up below is torn down by ~Window if a later step fails.
    std::unique_ptr<Window> window(new Window());
    g_last_glfw_error.clear();
    glfwSetErrorCallback(capture_glfw_error);

    if (glfwInit() != GLFW_TRUE) {
        error = "cannot open a window: " + glfw_reason() +
                ". Run with --headless to use REINFORCE Lab without a display.";
        return nullptr;
    }
    window->m_glfw_ready = true;

    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
    window->m_window = glfwCreateWindow(std::max(options.width, 1), std::max(options.height, 1),
                                        options.title.c_str(), nullptr, nullptr);
    if (window->m_window == nullptr) {
        error = "cannot open a window with OpenGL 3.3: " + glfw_reason() +
                ". Run with --headless to use REINFORCE Lab without a display.";
        return nullptr;
    }
    glfwMakeContextCurrent(window->m_window);
    glfwSwapInterval(options.vsync ? 1 : 0);

    if (gladLoadGL(glfwGetProcAddress) == 0) {
        error = "cannot load the OpenGL 3.3 functions of this driver";
        return nullptr;
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    window->m_imgui_ready = true;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    if (!options.ini_path.empty()) {
        std::error_code folder_error;
        if (options.ini_path.has_parent_path()) {
            std::filesystem::create_directories(options.ini_path.parent_path(), folder_error);
        }
        // Without its folder the layout could not be saved anyway; the app still runs.
        if (!folder_error) {
            window->m_ini_path = options.ini_path;
            // ImGui itself would write the file in place (a kill mid-write leaves half a layout);
            // it only reads here, and save_layout() writes through the atomic writer.
            if (std::filesystem::exists(options.ini_path, folder_error))
                ImGui::LoadIniSettingsFromDisk(window->m_ini_path.c_str());
        }
    }

    // Installed first, so ImGui's own callback calls it before reading the key.
    glfwSetWindowUserPointer(window->m_window, window.get());
    glfwSetKeyCallback(window->m_window, [](GLFWwindow* w, int key, int, int action, int mods) {
        static_cast<Window*>(glfwGetWindowUserPointer(w))->m_key_taps.on_key(key, action, mods);
    });
    if (!ImGui_ImplGlfw_InitForOpenGL(window->m_window, true)) {
        error = "cannot start ImGui's GLFW backend";
        return nullptr;
    }
    window->m_glfw_backend_ready = true;
    if (!ImGui_ImplOpenGL3_Init("#version 330 core")) {
        error = "cannot start ImGui's OpenGL 3 backend";
        return nullptr;
    }
    window->m_gl_backend_ready = true;
    window->m_remember_size = options.remember_size;
    return window;
}

Window::~Window() {
    if (m_gl_backend_ready) ImGui_ImplOpenGL3_Shutdown();
    if (m_glfw_backend_ready) ImGui_ImplGlfw_Shutdown();
    if (m_imgui_ready) {
        save_layout();
        ImGui::DestroyContext();
    }
    if (m_window != nullptr) {
        if (m_remember_size && glfwGetWindowAttrib(m_window, GLFW_ICONIFIED) == GLFW_FALSE) {
            int width = 0;
            int height = 0;
            glfwGetWindowSize(m_window, &width, &height);
            // Best effort: a lost window size is not worth a message at exit.
            (void)save_window_size(width, height);
        }
        glfwDestroyWindow(m_window);
    }
    if (m_glfw_ready) glfwTerminate();
}

bool Window::should_close() const {
    return glfwWindowShouldClose(m_window) == GLFW_TRUE;
}

void Window::request_close() {
    glfwSetWindowShouldClose(m_window, GLFW_TRUE);
}

bool Window::minimized() const {
    if (glfwGetWindowAttrib(m_window, GLFW_ICONIFIED) == GLFW_TRUE) return true;
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(m_window, &width, &height);
    return width <= 0 || height <= 0;
}

void Window::poll() {
    if (minimized()) {
        glfwWaitEventsTimeout(0.1);
    } else {
        glfwPollEvents();
    }
}

void Window::begin_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    sample_font_atlas_nearest();
    ImGui_ImplGlfw_NewFrame();
    m_key_taps.before_frame(ImGui::GetIO());
    ImGui::NewFrame();
}

void Window::sample_font_atlas_nearest() {
    // Glyphs are rasterised at the size they are drawn and placed on whole pixels, so nearest
    // sampling shows them the same; software OpenGL (llvmpipe) shades such pixels at a fraction
    // of the bilinear cost, and text is most of what a frame draws. Lines then need geometric
    // anti-aliasing instead of the atlas's line texture (see Theme::apply).
    const ImTextureID atlas = ImGui::GetIO().Fonts->TexID;
    if (atlas == nullptr || atlas == m_nearest_atlas) return;
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(atlas)));
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
    m_nearest_atlas = atlas;
}

void Window::end_frame(float clear_r, float clear_g, float clear_b) {
    ImGui::Render();
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(m_window, &width, &height);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, width, height);
    glClearColor(clear_r, clear_g, clear_b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (ImGui::GetIO().WantSaveIniSettings) save_layout();
}

void Window::save_layout() {
    ImGui::GetIO().WantSaveIniSettings = false;
    if (m_ini_path.empty()) return;
    std::size_t size = 0;
    const char* text = ImGui::SaveIniSettingsToMemory(&size);
    // Best effort, like ImGui's own saving: a lost layout is not worth a message.
    (void)io::write_file_atomically(m_ini_path, std::string_view(text, size));
}

void Window::swap() {
    glfwSwapBuffers(m_window);
}

float Window::content_scale() const {
    float x = 1.0f;
    float y = 1.0f;
    glfwGetWindowContentScale(m_window, &x, &y);
    // Some X servers report 0 or nonsense; fonts at those scales would be unreadable.
    if (!(x >= 1.0f)) return 1.0f;
    return std::min(x, 4.0f);
}

ImVec2 Window::framebuffer_size() const {
    int width = 0;
    int height = 0;
    glfwGetFramebufferSize(m_window, &width, &height);
    return ImVec2(static_cast<float>(width), static_cast<float>(height));
}

void Window::set_size(int width, int height) {
    glfwSetWindowSize(m_window, std::max(width, 1), std::max(height, 1));
}

}  // namespace rl::app
