#pragma once

// Reading the app's screenshots and its "plot NAME x0 y0 x1 y1" report lines, for the GUI tests.

#include <stb_image.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_app.hpp"

namespace rl_test {

struct Image {
    int width = 0, height = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels{nullptr, stbi_image_free};
    const unsigned char* at(int x, int y) const {
        return pixels.get() + (static_cast<std::size_t>(y) * width + x) * 3;
    }
};

inline Image load_png(const std::string& path) {
    Image image;
    int channels = 0;
    image.pixels.reset(stbi_load(path.c_str(), &image.width, &image.height, &channels, 3));
    return image;
}

struct Box {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// "plot NAME x0 y0 x1 y1" lines; NAME may contain spaces ("Policy now").
inline std::map<std::string, Box> plot_boxes(const std::string& out) {
    std::map<std::string, Box> boxes;
    for (const std::string& line : rl_test::lines_of(out)) {
        if (line.rfind("plot ", 0) != 0) continue;
        std::istringstream in(line.substr(5));
        std::string word, name;
        std::vector<std::string> words;
        while (in >> word)
            words.push_back(word);
        if (words.size() < 5) continue;
        for (std::size_t i = 0; i + 4 < words.size(); ++i)
            name += (i ? " " : "") + words[i];
        const std::size_t n = words.size();
        boxes[name] = {std::stoi(words[n - 4]), std::stoi(words[n - 3]), std::stoi(words[n - 2]),
                       std::stoi(words[n - 1])};
    }
    return boxes;
}

// Pixels of a clear hue: the plotted series use the palette's colours, while frames, grids, text
// and panels are greys. Axes alone would leave a plot with almost none.
inline int coloured_pixels(const Image& image, const Box& b) {
    int count = 0;
    for (int y = std::max(b.y0, 0); y < std::min(b.y1, image.height); ++y)
        for (int x = std::max(b.x0, 0); x < std::min(b.x1, image.width); ++x) {
            const unsigned char* p = image.at(x, y);
            const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
            if (hi - lo > 60) ++count;
        }
    return count;
}

inline int distinct_colours(const Image& image) {
    std::set<unsigned> colours;
    for (int y = 0; y < image.height; y += 2)
        for (int x = 0; x < image.width; x += 2) {
            const unsigned char* p = image.at(x, y);
            colours.insert(p[0] << 16 | p[1] << 8 | p[2]);
        }
    return static_cast<int>(colours.size());
}

}  // namespace rl_test
