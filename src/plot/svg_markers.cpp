#include "plot/svg_markers.hpp"

#include <algorithm>
#include <initializer_list>

#include "plot/svg_paint.hpp"
#include "plot/xml_text.hpp"

namespace rl::plot {
namespace {

// The thresholds replay uses, so a marker has the same shape in both.
constexpr float kPixelMarkerRadius = 1.5f;
// ImGui strokes rectangles and circles half a pixel inside their outline.
constexpr float kStrokeInset = 0.5f;

bool same_look(const Primitive& a, const Primitive& b) {
    const auto same = [](const Rgba& x, const Rgba& y) {
        return x.r == y.r && x.g == y.g && x.b == y.b && x.a == y.a;
    };
    return a.glyph == b.glyph && a.filled == b.filled && a.size == b.size && a.width == b.width &&
           same(a.color, b.color) && same(a.outline, b.outline);
}

void square(std::string& out, float half) {
    out += "<rect x=\"";
    append_number(out, -half);
    out += "\" y=\"";
    append_number(out, -half);
    out += "\" width=\"";
    append_number(out, 2 * half);
    out += "\" height=\"";
    append_number(out, 2 * half);
    out += '"';
}

void circle(std::string& out, float r) {
    out += "<circle r=\"";
    append_number(out, r);
    out += '"';
}

struct PathStep {
    char command;  // 'M' or 'L'
    float x, y;
};

void path(std::string& out, std::initializer_list<PathStep> steps, bool closed) {
    out += "<path d=\"";
    for (const PathStep& step : steps) {
        out += step.command;
        append_point(out, step.x, step.y);
    }
    if (closed) out += 'Z';
    out += '"';
}

// One shape of a glyph: its body filled or stroked in `c`.
void shape(std::string& out, MarkerGlyph glyph, bool filled, const Rgba& c, float r, float width) {
    if (!paints(c)) return;
    const float inset = filled ? 0.0f : kStrokeInset;
    switch (glyph) {
        case MarkerGlyph::kCircle:
            // Too small to look round on screen, where replay draws a square instead.
            if (filled && r < kPixelMarkerRadius) {
                square(out, r);
            } else {
                circle(out, r - inset);
            }
            break;
        case MarkerGlyph::kSquare:
            square(out, r - inset);
            break;
        case MarkerGlyph::kDiamond:
            path(out, {{'M', 0, -r}, {'L', r, 0}, {'L', 0, r}, {'L', -r, 0}}, true);
            break;
        case MarkerGlyph::kCross:
            path(out, {{'M', -r, -r}, {'L', r, r}, {'M', -r, r}, {'L', r, -r}}, false);
            break;
    }
    if (filled) {
        append_fill(out, c);
    } else {
        append_stroke(out, c, width);
    }
    out += "/>";
}

}  // namespace

SvgMarkerStyles::SvgMarkerStyles(const Recording& rec) {
    for (const Primitive& p : rec.primitives) {
        if (p.kind != PrimitiveKind::kMarkers) continue;
        const bool known = std::any_of(m_styles.begin(), m_styles.end(),
                                       [&](const Primitive& s) { return same_look(s, p); });
        if (!known) m_styles.push_back(p);
    }
}

std::size_t SvgMarkerStyles::index_of(const Primitive& p) const {
    const auto it = std::find_if(m_styles.begin(), m_styles.end(),
                                 [&](const Primitive& s) { return same_look(s, p); });
    return static_cast<std::size_t>(it - m_styles.begin());
}

void SvgMarkerStyles::append_definitions(std::string& out) const {
    for (std::size_t i = 0; i < m_styles.size(); ++i) {
        const Primitive& p = m_styles[i];
        out += "<g id=\"m";
        out += std::to_string(i);
        out += "\">";
        if (p.glyph == MarkerGlyph::kCross) {
            // Replay strokes a cross at least a pixel wide and gives it no outline.
            shape(out, p.glyph, false, p.color, p.size, std::max(p.width, 1.0f));
        } else {
            shape(out, p.glyph, p.filled, p.color, p.size, p.width);
            if (p.outline.a > 0 && p.width > 0)
                shape(out, p.glyph, false, p.outline, p.size, p.width);
        }
        out += "</g>\n";
    }
}

}  // namespace rl::plot
