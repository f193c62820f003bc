#include "plot/png_data_uri.hpp"

// Declarations only: Debian's libstb already contains the implementation.
#include <stb_image_write.h>

#include <cstddef>
#include <limits>

namespace rl::plot {
namespace {

void collect(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                               static_cast<std::size_t>(size));
}

std::string base64(const std::string& bytes) {
    static constexpr char kDigits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned word = static_cast<unsigned char>(bytes[i]) << 16 |
                              static_cast<unsigned char>(bytes[i + 1]) << 8 |
                              static_cast<unsigned char>(bytes[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6)
            out += kDigits[(word >> shift) & 63u];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        unsigned word = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) word |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kDigits[(word >> 18) & 63u];
        out += kDigits[(word >> 12) & 63u];
        out += rest == 2 ? kDigits[(word >> 6) & 63u] : '=';
        out += '=';
    }
    return out;
}

}  // namespace

std::string png_data_uri(const ImagePixels& pixels) {
    const int w = pixels.width;
    const int h = pixels.height;
    // stb takes the row stride as an int.
    if (w <= 0 || h <= 0 || w > std::numeric_limits<int>::max() / 4) return {};
    if (pixels.rgba.size() / 4 / static_cast<std::size_t>(w) < static_cast<std::size_t>(h))
        return {};
    std::string png;
    if (stbi_write_png_to_func(collect, &png, w, h, 4, pixels.rgba.data(), w * 4) == 0) return {};
    return "data:image/png;base64," + base64(png);
}

}  // namespace rl::plot
