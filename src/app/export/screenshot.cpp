#include "app/export/screenshot.hpp"

#include <glad/gl.h>
// Declarations only: Debian's libstb already contains the implementation.
#include <stb_image_write.h>

#include <algorithm>
#include <vector>

#include "io/atomic_file.hpp"

namespace rl::app {

namespace {

constexpr int kMaxSide = 32768;

std::string bad_size(const std::string& what, int width, int height) {
    return what + ": cannot save a " + std::to_string(width) + "x" + std::to_string(height) +
           " image";
}

void append_bytes(void* context, void* data, int size) {
    auto* bytes = static_cast<std::string*>(context);
    bytes->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

std::string encode_png(const std::uint8_t* rgba, int width, int height, std::string& bytes) {
    bytes.clear();
    if (rgba == nullptr || width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
        return "cannot encode a " + std::to_string(width) + "x" + std::to_string(height) + " image";
    if (stbi_write_png_to_func(append_bytes, &bytes, width, height, 4, rgba, width * 4) == 0)
        return "cannot encode the PNG";
    return {};
}

std::string write_png(const std::filesystem::path& png, const std::uint8_t* rgba, int width,
                      int height) {
    std::string bytes;
    if (const std::string error = encode_png(rgba, width, height, bytes); !error.empty())
        return png.string() + ": " + error;
    return io::write_file_atomically(png, bytes);
}

std::string save_screenshot(const std::filesystem::path& png, int width, int height) {
    return save_screenshot_region(png, 0, 0, width, height, height);
}

std::string save_screenshot_region(const std::filesystem::path& png, int x, int y, int width,
                                   int height, int framebuffer_height) {
    std::vector<std::uint8_t> rgba;
    if (const std::string error =
            read_back_buffer(x, y, width, height, framebuffer_height, rgba, png.string());
        !error.empty())
        return error;
    return write_png(png, rgba.data(), width, height);
}

std::string read_back_buffer(int x, int y, int width, int height, int framebuffer_height,
                             std::vector<std::uint8_t>& rgba, const std::string& what) {
    if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide || x < 0 || y < 0 ||
        y + height > framebuffer_height) {
        return bad_size(what, width, height);
    }
    GLint read_framebuffer = 0;
    GLint read_buffer = GL_BACK;
    GLint pack_alignment = 4;
    GLint pack_row_length = 0;
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_framebuffer);
    glGetIntegerv(GL_PACK_ALIGNMENT, &pack_alignment);
    glGetIntegerv(GL_PACK_ROW_LENGTH, &pack_row_length);
    // The window's own framebuffer, whatever an offscreen pass left bound.
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    glGetIntegerv(GL_READ_BUFFER, &read_buffer);
    glReadBuffer(GL_BACK);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    for (int i = 0; i < 8 && glGetError() != GL_NO_ERROR; ++i) {
    }

    const std::size_t row_bytes = static_cast<std::size_t>(width) * 4;
    std::vector<std::uint8_t> pixels(row_bytes * static_cast<std::size_t>(height));
    // GL counts rows from the bottom.
    glReadPixels(x, framebuffer_height - y - height, width, height, GL_RGBA, GL_UNSIGNED_BYTE,
                 pixels.data());
    const GLenum error = glGetError();

    glReadBuffer(static_cast<GLenum>(read_buffer));
    glPixelStorei(GL_PACK_ALIGNMENT, pack_alignment);
    glPixelStorei(GL_PACK_ROW_LENGTH, pack_row_length);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(read_framebuffer));
    if (error != GL_NO_ERROR) {
        return what + ": cannot read the window's pixels (GL error " + std::to_string(error) + ")";
    }

    rgba.resize(pixels.size());
    for (int row = 0; row < height; ++row) {
        const std::uint8_t* from =
            pixels.data() + static_cast<std::size_t>(height - 1 - row) * row_bytes;
        std::uint8_t* to = rgba.data() + static_cast<std::size_t>(row) * row_bytes;
        std::copy(from, from + row_bytes, to);
        // The framebuffer's alpha is whatever blending left there, not a transparency mask.
        for (std::size_t i = 3; i < row_bytes; i += 4)
            to[i] = 255;
    }
    return {};
}

}  // namespace rl::app
