#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

// PNG export of what the window shows. Every function returns "" on success or a one-line error
// naming the path and the reason; a failure leaves no partial file (write, then rename).
namespace rl::app {

// The whole back buffer of the window's framebuffer, width x height pixels: call it after
// Window::end_frame() and before Window::swap(), with the GL context current. Alpha is written
// as 255, so the PNG is opaque whatever the clear colour's alpha was.
std::string save_screenshot(const std::filesystem::path& png, int width, int height);

// A width x height part of the back buffer whose top-left corner is (x, y) in pixels from the
// top-left of a framebuffer framebuffer_height pixels high (ImGui's screen coordinates times the
// framebuffer scale): a PNG of one plot.
std::string save_screenshot_region(const std::filesystem::path& png, int x, int y, int width,
                                   int height, int framebuffer_height);

// Reads a width x height part of the back buffer (as save_screenshot_region) into `rgba`, top
// row first, alpha 255. Returns "" or why not; `what` names the target in the message.
std::string read_back_buffer(int x, int y, int width, int height, int framebuffer_height,
                             std::vector<std::uint8_t>& rgba, const std::string& what);

// Encodes RGBA pixels, top row first, rows packed, as PNG bytes; "" or why not.
std::string encode_png(const std::uint8_t* rgba, int width, int height, std::string& bytes);

// Encodes RGBA pixels, top row first, rows packed, as a PNG at `png`.
std::string write_png(const std::filesystem::path& png, const std::uint8_t* rgba, int width,
                      int height);

}  // namespace rl::app
