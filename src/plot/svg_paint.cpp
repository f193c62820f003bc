#include "plot/svg_paint.hpp"

#include <algorithm>
#include <cmath>

#include "plot/xml_text.hpp"

namespace rl::plot {
namespace {

// As ImGui converts a float channel to a byte, so the SVG shows the screen's exact colour.
int to_byte(float v) {
    return static_cast<int>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
}

void append_colour(std::string& out, const char* paint, const Rgba& c) {
    out += ' ';
    out += paint;
    out += "=\"rgb(";
    out += std::to_string(to_byte(c.r));
    out += ',';
    out += std::to_string(to_byte(c.g));
    out += ',';
    out += std::to_string(to_byte(c.b));
    out += ")\"";
    if (c.a < 1.0f) {
        out += ' ';
        out += paint;
        out += "-opacity=\"";
        append_number(out, std::clamp(c.a, 0.0f, 1.0f), 3);
        out += '"';
    }
}

}  // namespace

bool paints(const Rgba& c) {
    return to_byte(c.a) > 0;
}

void append_fill(std::string& out, const Rgba& c) {
    append_colour(out, "fill", c);
}

void append_stroke(std::string& out, const Rgba& c, float width) {
    out += " fill=\"none\"";
    append_colour(out, "stroke", c);
    out += " stroke-width=\"";
    append_number(out, width);
    out += '"';
}

}  // namespace rl::plot
