#include "plot/svg_export.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include "plot/png_data_uri.hpp"
#include "plot/svg_markers.hpp"
#include "plot/svg_paint.hpp"
#include "plot/xml_text.hpp"

namespace rl::plot {
namespace {

// ImGui strokes rectangles and circles half a pixel inside their outline.
constexpr float kStrokeInset = 0.5f;
// SVG places text by its baseline, ImGui by the top of its line: the baseline of a line centred
// in its box lies about this many font sizes below the centre.
constexpr float kEmPerLineHeight = 1.0f / 1.164f;
constexpr float kBaselineBelowCentre = 0.35f;
// What stands in for an image whose pixels were not recorded.
constexpr Rgba kMissingImage{0.83f, 0.83f, 0.83f, 1};

struct TextAnchor {
    float fraction;  // of the text's length, from its start
    const char* name;
};

// SVG anchors text at its start, middle or end; the nearest of those to `fraction` is used, since
// the SVG's font measures text differently from the screen's.
TextAnchor snap_anchor(float fraction) {
    if (fraction < 0.25f) return {0.0f, "start"};
    if (fraction > 0.75f) return {1.0f, "end"};
    return {0.5f, "middle"};
}

double signed_area(std::span<const Point> pts) {
    double area = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const Point u = pts[i];
        const Point v = pts[(i + 1) % pts.size()];
        area += double(u.x) * v.y - double(v.x) * u.y;
    }
    return area;
}

class SvgWriter {
  public:
    SvgWriter(const Recording& rec, const SvgOptions& options)
        : m_rec(rec), m_options(options), m_markers(rec) {}

    std::string run() {
        header();
        for (const Primitive& p : m_rec.primitives)
            primitive(p);
        close_series();
        for (; m_clip_depth > 0; --m_clip_depth)
            m_out += "</g>\n";
        m_out += "</svg>\n";
        return std::move(m_out);
    }

  private:
    void attribute(const char* name, double v) {
        m_out += ' ';
        m_out += name;
        m_out += "=\"";
        append_number(m_out, v);
        m_out += '"';
    }

    void header() {
        const double w = m_rec.size.x;
        const double h = m_rec.size.y;
        m_out += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
        m_out += "<svg xmlns=\"http://www.w3.org/2000/svg\" ";
        m_out += "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\"";
        attribute("width", w);
        attribute("height", h);
        m_out += " viewBox=\"0 0 ";
        append_number(m_out, w);
        m_out += ' ';
        append_number(m_out, h);
        m_out += "\" font-family=\"";
        append_xml_escaped(m_out, m_options.font_family);
        m_out += "\">\n";
        if (!m_rec.title.empty()) {
            m_out += "<title>";
            append_xml_escaped(m_out, m_rec.title);
            m_out += "</title>\n";
        }
        m_out += "<defs>\n";
        m_markers.append_definitions(m_out);
        m_out += "</defs>\n";
        if (paints(m_options.background)) {
            m_out += "<rect";
            attribute("width", w);
            attribute("height", h);
            append_fill(m_out, m_options.background);
            m_out += "/>\n";
        }
    }

    void primitive(const Primitive& p) {
        const bool clip = p.kind == PrimitiveKind::kPushClip || p.kind == PrimitiveKind::kPopClip;
        if (clip || p.series != m_series) close_series();
        if (!clip && p.series >= 0 && p.series != m_series) open_series(p.series);
        switch (p.kind) {
            case PrimitiveKind::kPolyline:
                polyline(p);
                break;
            case PrimitiveKind::kFill:
                fill(p);
                break;
            case PrimitiveKind::kRect:
                rect(p);
                break;
            case PrimitiveKind::kCircle:
                circle(p);
                break;
            case PrimitiveKind::kMarkers:
                markers(p);
                break;
            case PrimitiveKind::kText:
                text(p);
                break;
            case PrimitiveKind::kImage:
                image(p);
                break;
            case PrimitiveKind::kPushClip: {
                const std::string clip = define_clip(p.a, p.b);
                m_out += "<g";
                m_out += clip;
                m_out += ">\n";
                ++m_clip_depth;
                break;
            }
            case PrimitiveKind::kPopClip:
                if (m_clip_depth > 0) {
                    m_out += "</g>\n";
                    --m_clip_depth;
                }
                break;
        }
    }

    // A reader finds a series' shapes by its label; the index tells apart series sharing one.
    void open_series(int index) {
        if (static_cast<std::size_t>(index) >= m_rec.series.size()) return;
        const Series& s = m_rec.series[static_cast<std::size_t>(index)];
        m_out += "<g class=\"series\" data-series=\"";
        append_xml_escaped(m_out,
                           s.kind == SeriesKind::kText ? m_rec.full_label(s) : m_rec.label(s));
        m_out += "\" data-index=\"";
        m_out += std::to_string(index);
        m_out += "\">\n";
        m_series = index;
    }

    void close_series() {
        if (m_series >= 0) m_out += "</g>\n";
        m_series = -1;
    }

    // Writes a clip path for the box a..b and returns the attribute that applies it. Clip paths
    // sit in a <defs> next to their user, since SVG needs them defined but not drawn.
    std::string define_clip(Point a, Point b) {
        const std::string id = std::to_string(m_next_clip++);
        m_out += "<defs><clipPath id=\"c";
        m_out += id;
        m_out += "\"><rect";
        box_attributes(a, b, 0);
        m_out += "/></clipPath></defs>\n";
        std::string use = " clip-path=\"url(#c";
        use += id;
        use += ")\"";
        return use;
    }

    void box_attributes(Point a, Point b, float inset) {
        attribute("x", a.x + inset);
        attribute("y", a.y + inset);
        attribute("width", std::max(0.0f, b.x - a.x - 2 * inset));
        attribute("height", std::max(0.0f, b.y - a.y - 2 * inset));
    }

    void points(std::span<const Point> pts, bool reverse = false) {
        for (std::size_t k = 0; k < pts.size(); ++k) {
            const Point q = pts[reverse ? pts.size() - 1 - k : k];
            if (k > 0) m_out += ' ';
            append_point(m_out, q.x, q.y);
        }
    }

    void polyline(const Primitive& p) {
        const auto pts = m_rec.primitive_points(p);
        if (pts.size() < 2 || !paints(p.color)) return;
        m_out += p.closed ? "<polygon points=\"" : "<polyline points=\"";
        points(pts);
        m_out += '"';
        append_stroke(m_out, p.color, p.width);
        if (p.dash > 0 && p.gap > 0) {
            m_out += " stroke-dasharray=\"";
            append_point(m_out, p.dash, p.gap);
            m_out += '"';
        }
        m_out += "/>\n";
    }

    // The polygons form one shape, as on the screen where a translucent band shows no seams:
    // one path, each polygon turning the same way so the nonzero rule joins them.
    void fill(const Primitive& p) {
        const auto pts = m_rec.primitive_points(p);
        const auto sizes = std::span<const std::uint32_t>(m_rec.polygon_sizes)
                               .subspan(p.first_polygon, p.polygon_count);
        if (!paints(p.color)) return;
        m_out += "<path d=\"";
        std::size_t first = 0;
        for (const std::uint32_t n : sizes) {
            const auto polygon = pts.subspan(first, n);
            first += n;
            if (n < 3) continue;
            m_out += 'M';
            points(polygon, signed_area(polygon) < 0);
            m_out += 'Z';
        }
        m_out += '"';
        append_fill(m_out, p.color);
        m_out += "/>\n";
    }

    void rect(const Primitive& p) {
        if (!paints(p.color)) return;
        m_out += "<rect";
        box_attributes(p.a, p.b, p.filled ? 0.0f : kStrokeInset);
        if (p.filled) {
            append_fill(m_out, p.color);
        } else {
            append_stroke(m_out, p.color, p.width);
        }
        m_out += "/>\n";
    }

    void circle(const Primitive& p) {
        if (!paints(p.color)) return;
        m_out += "<circle";
        attribute("cx", p.a.x);
        attribute("cy", p.a.y);
        attribute("r", std::max(0.0f, p.filled ? p.size : p.size - kStrokeInset));
        if (p.filled) {
            append_fill(m_out, p.color);
        } else {
            append_stroke(m_out, p.color, p.width);
        }
        m_out += "/>\n";
    }

    void markers(const Primitive& p) {
        std::string use = "<use xlink:href=\"#m";
        use += std::to_string(m_markers.index_of(p));
        use += '"';
        for (const Point& q : m_rec.primitive_points(p)) {
            m_out += use;
            attribute("x", q.x);
            attribute("y", q.y);
            m_out += "/>\n";
        }
    }

    // The box replay puts the text in, floored to whole pixels as there; a vertical text's box
    // is its flat box turned, and it reads upward from the box's bottom.
    void text(const Primitive& p) {
        const std::string_view s = m_rec.text(p);
        if (s.empty() || !paints(p.color)) return;
        const float length = p.text_size.x;
        const float thickness = p.text_size.y;
        const float across = 0.5f * thickness + kBaselineBelowCentre * p.size;
        m_out += "<text";
        if (!p.vertical) {
            const float left = std::floor(p.a.x - p.anchor.x * length);
            const float top = std::floor(p.a.y - p.anchor.y * thickness);
            const TextAnchor anchor = snap_anchor(p.anchor.x);
            attribute("x", left + anchor.fraction * length);
            attribute("y", top + across);
            m_out += " text-anchor=\"";
            m_out += anchor.name;
        } else {
            const float left = std::floor(p.a.x - p.anchor.x * thickness);
            const float top = std::floor(p.a.y - p.anchor.y * length);
            const TextAnchor anchor = snap_anchor(1.0f - p.anchor.y);
            m_out += " transform=\"translate(";
            append_point(m_out, left, top + length - anchor.fraction * length);
            m_out += ") rotate(-90)\"";
            attribute("y", across);
            m_out += " text-anchor=\"";
            m_out += anchor.name;
        }
        m_out += '"';
        // Dear ImGui sizes a font by its line height (ascent + descent), CSS by its em: for
        // DejaVu Sans the em is 1/1.164 of the line. textLength then holds each text to the width
        // the plot measured, so a viewer with another font still keeps labels inside their room.
        attribute("font-size", p.size * kEmPerLineHeight);
        attribute("textLength", length);
        m_out += " lengthAdjust=\"spacingAndGlyphs\"";
        if (p.bold) m_out += " font-weight=\"bold\"";
        append_fill(m_out, p.color);
        m_out += '>';
        append_xml_escaped(m_out, s);
        m_out += "</text>\n";
    }

    void image(const Primitive& p) {
        const bool known =
            p.series >= 0 && static_cast<std::size_t>(p.series) < m_rec.series.size();
        const Series* s = known ? &m_rec.series[static_cast<std::size_t>(p.series)] : nullptr;
        const std::string uri =
            s != nullptr && s->pixels ? png_data_uri(*s->pixels) : std::string();
        const float du = p.uv1.x - p.uv0.x;
        const float dv = p.uv1.y - p.uv0.y;
        if (uri.empty() || !(du > 0) || !(dv > 0)) {
            m_out += "<!-- image without recorded pixels (a GPU texture only): a grey box -->\n";
            m_out += "<rect";
            box_attributes(p.a, p.b, 0);
            append_fill(m_out, kMissingImage);
            m_out += "/>\n";
            return;
        }
        // The box a..b shows the part uv0..uv1 of the picture (clipping cut the rest); the whole
        // picture is placed so that part lands there, and the rest is clipped again.
        const float sx = (p.b.x - p.a.x) / du;
        const float sy = (p.b.y - p.a.y) / dv;
        const Point origin{p.a.x - p.uv0.x * sx, p.a.y - p.uv0.y * sy};
        const std::string clip = define_clip(p.a, p.b);
        m_out += "<image";
        box_attributes(origin, {origin.x + sx, origin.y + sy}, 0);
        m_out += " preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\"";
        m_out += " style=\"image-rendering:pixelated\"";
        m_out += clip;
        m_out += " xlink:href=\"";
        m_out += uri;
        m_out += "\"/>\n";
    }

    const Recording& m_rec;
    const SvgOptions& m_options;
    SvgMarkerStyles m_markers;
    std::string m_out;
    int m_series = -1;  // the series whose group is open; -1: none
    int m_clip_depth = 0;
    int m_next_clip = 0;
};

}  // namespace

std::string recording_to_svg(const Recording& rec, const SvgOptions& options) {
    return SvgWriter(rec, options).run();
}

}  // namespace rl::plot
