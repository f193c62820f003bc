#include "app/platform/density_image.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <glad/gl.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "app/views/colormap.hpp"
#include "shader_sources.hpp"

namespace rl::app {

namespace {

// The GPU target has this many pixels per bin side (fewer for large histograms), so bilinear
// sampling of the levels gives smooth contours instead of visible bins.
constexpr int kTargetSide = 1024;
constexpr int kMaxUpscale = 4;

ImTextureID to_texture_id(GLuint texture) {
    return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture));
}

// ImGui renders after update(), and it assumes nothing about GL state but still expects nobody to
// leave a framebuffer bound; restoring everything touched keeps the two independent.
class GlStateGuard {
  public:
    GlStateGuard() {
        glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &m_draw_framebuffer);
        glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &m_read_framebuffer);
        glGetIntegerv(GL_VIEWPORT, m_viewport);
        glGetIntegerv(GL_CURRENT_PROGRAM, &m_program);
        glGetIntegerv(GL_ACTIVE_TEXTURE, &m_active_texture);
        glActiveTexture(GL_TEXTURE0);
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &m_texture);
        glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &m_vertex_array);
        glGetIntegerv(GL_UNPACK_ALIGNMENT, &m_unpack_alignment);
        glGetIntegerv(GL_UNPACK_ROW_LENGTH, &m_unpack_row_length);
        m_blend = glIsEnabled(GL_BLEND);
        m_scissor = glIsEnabled(GL_SCISSOR_TEST);
        m_depth = glIsEnabled(GL_DEPTH_TEST);
        m_cull = glIsEnabled(GL_CULL_FACE);
    }
    ~GlStateGuard() {
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(m_draw_framebuffer));
        glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(m_read_framebuffer));
        glViewport(m_viewport[0], m_viewport[1], m_viewport[2], m_viewport[3]);
        glUseProgram(static_cast<GLuint>(m_program));
        glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(m_texture));
        glActiveTexture(static_cast<GLenum>(m_active_texture));
        glBindVertexArray(static_cast<GLuint>(m_vertex_array));
        glPixelStorei(GL_UNPACK_ALIGNMENT, m_unpack_alignment);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, m_unpack_row_length);
        set_enabled(GL_BLEND, m_blend);
        set_enabled(GL_SCISSOR_TEST, m_scissor);
        set_enabled(GL_DEPTH_TEST, m_depth);
        set_enabled(GL_CULL_FACE, m_cull);
    }
    GlStateGuard(const GlStateGuard&) = delete;
    GlStateGuard& operator=(const GlStateGuard&) = delete;

  private:
    static void set_enabled(GLenum capability, GLboolean enabled) {
        if (enabled == GL_TRUE) {
            glEnable(capability);
        } else {
            glDisable(capability);
        }
    }

    GLint m_draw_framebuffer = 0;
    GLint m_read_framebuffer = 0;
    GLint m_viewport[4] = {0, 0, 0, 0};
    GLint m_program = 0;
    GLint m_active_texture = GL_TEXTURE0;
    GLint m_texture = 0;
    GLint m_vertex_array = 0;
    GLint m_unpack_alignment = 4;
    GLint m_unpack_row_length = 0;
    GLboolean m_blend = GL_FALSE;
    GLboolean m_scissor = GL_FALSE;
    GLboolean m_depth = GL_FALSE;
    GLboolean m_cull = GL_FALSE;
};

std::string info_log(GLuint object, bool is_program) {
    GLint length = 0;
    if (is_program) {
        glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
    } else {
        glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
    }
    std::string log(static_cast<std::size_t>(std::max(length, 1)), '\0');
    if (is_program) {
        glGetProgramInfoLog(object, length, nullptr, log.data());
    } else {
        glGetShaderInfoLog(object, length, nullptr, log.data());
    }
    log.resize(log.find('\0') == std::string::npos ? log.size() : log.find('\0'));
    // One line for the message; drivers end logs with newlines.
    std::replace(log.begin(), log.end(), '\n', ' ');
    while (!log.empty() && log.back() == ' ')
        log.pop_back();
    return log;
}

GLuint compile(GLenum stage, const char* source, const char* name, std::string& error) {
    const GLuint shader = glCreateShader(stage);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok != GL_TRUE) {
        error = std::string(name) + " does not compile: " + info_log(shader, false);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

GLuint link(const char* vertex_source, const char* fragment_source, std::string& error) {
    const GLuint vertex = compile(GL_VERTEX_SHADER, vertex_source, "density.vert", error);
    if (vertex == 0) return 0;
    const GLuint fragment = compile(GL_FRAGMENT_SHADER, fragment_source, "density.frag", error);
    if (fragment == 0) {
        glDeleteShader(vertex);
        return 0;
    }
    const GLuint program = glCreateProgram();
    glAttachShader(program, vertex);
    glAttachShader(program, fragment);
    glLinkProgram(program);
    // The program keeps what it needs; the shader objects go once it is linked.
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    GLint ok = GL_FALSE;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (ok != GL_TRUE) {
        error = "the density shaders do not link: " + info_log(program, true);
        glDeleteProgram(program);
        return 0;
    }
    return program;
}

void set_sampling(GLint filter) {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

DensityImage::DensityImage(bool allow_gpu)
    : m_gpu_state(allow_gpu ? GpuState::kUntried : GpuState::kFailed) {}

DensityImage::~DensityImage() {
    // Once the context is gone its objects are gone too, and GL calls would be undefined.
    if (glfwGetCurrentContext() == nullptr) return;
    release_gpu();
    if (m_color_texture != 0) glDeleteTextures(1, &m_color_texture);
}

ImTextureID DensityImage::texture() const {
    return m_has_image ? to_texture_id(m_color_texture) : nullptr;
}

void DensityImage::update(const std::uint32_t* counts, int bins_x, int bins_y) {
    if (counts == nullptr || bins_x <= 0 || bins_y <= 0 || bins_x > kMaxBins || bins_y > kMaxBins) {
        m_has_image = false;
        m_message = "density image: " + std::to_string(bins_x) + "x" + std::to_string(bins_y) +
                    " bins is not a histogram size between 1 and " + std::to_string(kMaxBins);
        return;
    }
    const std::size_t bin_count =
        static_cast<std::size_t>(bins_x) * static_cast<std::size_t>(bins_y);
    const std::uint32_t max_count = *std::max_element(counts, counts + bin_count);

    const GlStateGuard guard;
    if (m_gpu_state == GpuState::kUntried && !set_up_gpu()) m_gpu_state = GpuState::kFailed;
    if (m_gpu_state == GpuState::kReady) {
        m_levels.resize(bin_count);
        for (std::size_t i = 0; i < bin_count; ++i) {
            m_levels[i] = density_level(counts[i], max_count);
        }
        if (draw_on_gpu(bins_x, bins_y, density_level(1, max_count))) {
            m_has_image = true;
            m_message.clear();
            return;
        }
        release_gpu();
        m_gpu_state = GpuState::kFailed;
    }
    draw_on_cpu(counts, bins_x, bins_y);
    m_has_image = true;
    m_message = m_fallback_reason;
}

bool DensityImage::set_up_gpu() {
    std::string error;
    m_program = link(shaders::kDensityVert, shaders::kDensityFrag, error);
    if (m_program == 0) {
        m_fallback_reason = error + "; colouring on the CPU instead";
        return false;
    }
    m_levels_location = glGetUniformLocation(m_program, "u_levels");
    m_one_count_location = glGetUniformLocation(m_program, "u_one_count");
    // A core profile draws nothing without a vertex array, even one with no attributes.
    glGenVertexArrays(1, &m_vertex_array);
    glGenFramebuffers(1, &m_framebuffer);
    glGenTextures(1, &m_levels_texture);
    m_gpu_state = GpuState::kReady;
    return true;
}

void DensityImage::release_gpu() {
    if (m_program != 0) glDeleteProgram(m_program);
    if (m_vertex_array != 0) glDeleteVertexArrays(1, &m_vertex_array);
    if (m_framebuffer != 0) glDeleteFramebuffers(1, &m_framebuffer);
    if (m_levels_texture != 0) glDeleteTextures(1, &m_levels_texture);
    m_program = 0;
    m_vertex_array = 0;
    m_framebuffer = 0;
    m_levels_texture = 0;
    m_levels_width = 0;
    m_levels_height = 0;
}

void DensityImage::ensure_color_texture(int width, int height) {
    if (m_color_texture == 0) glGenTextures(1, &m_color_texture);
    glBindTexture(GL_TEXTURE_2D, m_color_texture);
    if (width != m_width || height != m_height) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     nullptr);
        m_width = width;
        m_height = height;
    }
    set_sampling(GL_LINEAR);
}

bool DensityImage::draw_on_gpu(int bins_x, int bins_y, float one_count) {
    // Errors left by others would be blamed on this draw; a lost context repeats its error, so
    // the drain is bounded.
    for (int i = 0; i < 8 && glGetError() != GL_NO_ERROR; ++i) {
    }
    glActiveTexture(GL_TEXTURE0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glBindTexture(GL_TEXTURE_2D, m_levels_texture);
    if (bins_x != m_levels_width || bins_y != m_levels_height) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, bins_x, bins_y, 0, GL_RED, GL_FLOAT,
                     m_levels.data());
        m_levels_width = bins_x;
        m_levels_height = bins_y;
        set_sampling(GL_LINEAR);
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, bins_x, bins_y, GL_RED, GL_FLOAT, m_levels.data());
    }

    const int upscale = std::clamp(kTargetSide / std::max(bins_x, bins_y), 1, kMaxUpscale);
    const int width = bins_x * upscale;
    const int height = bins_y * upscale;
    ensure_color_texture(width, height);

    glBindFramebuffer(GL_FRAMEBUFFER, m_framebuffer);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_color_texture, 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        m_fallback_reason =
            "the density framebuffer is incomplete on this driver; colouring on the CPU instead";
        return false;
    }
    glViewport(0, 0, width, height);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glUseProgram(m_program);
    glBindTexture(GL_TEXTURE_2D, m_levels_texture);
    glUniform1i(m_levels_location, 0);
    glUniform1f(m_one_count_location, one_count);
    glBindVertexArray(m_vertex_array);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    if (const GLenum error = glGetError(); error != GL_NO_ERROR) {
        m_fallback_reason = "drawing the density image failed with GL error " +
                            std::to_string(error) + "; colouring on the CPU instead";
        return false;
    }
    return true;
}

void DensityImage::draw_on_cpu(const std::uint32_t* counts, int bins_x, int bins_y) {
    m_rgba = density_rgba(counts, bins_x, bins_y);
    glActiveTexture(GL_TEXTURE0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    ensure_color_texture(bins_x, bins_y);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, bins_x, bins_y, GL_RGBA, GL_UNSIGNED_BYTE,
                    m_rgba.data());
}

}  // namespace rl::app
