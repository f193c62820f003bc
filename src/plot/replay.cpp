#include "plot/replay.hpp"

#include <algorithm>
#include <cmath>
#include <span>

namespace rl::plot {
namespace {

// Splitting a solid line where it turns back by more than this (cosine of the angle between
// segments) avoids the long miter spikes ImGui draws at hairpin joins, which decimated data are
// full of.
constexpr float kSharpTurnCos = 0.0f;
constexpr int kSmallCircleSegments = 8;
constexpr float kSmallCircleRadius = 3.0f;
constexpr float kPixelMarkerRadius = 1.5f;

ImU32 to_u32(const Rgba& c) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}

class Replayer {
  public:
    Replayer(const Recording& rec, ImDrawList* dl, ImVec2 origin, ReplayScratch& scratch)
        : m_rec(rec), m_dl(dl), m_origin(origin), m_buffer(scratch.points), m_dash(scratch.dash) {}

    void run() {
        for (const Primitive& p : m_rec.primitives)
            draw(p);
    }

  private:
    ImVec2 at(Point p) const { return {m_origin.x + p.x, m_origin.y + p.y}; }

    void draw(const Primitive& p) {
        switch (p.kind) {
            case PrimitiveKind::kPolyline:
                polyline(p);
                break;
            case PrimitiveKind::kFill:
                fill(p);
                break;
            case PrimitiveKind::kRect:
                if (p.filled) {
                    m_dl->AddRectFilled(at(p.a), at(p.b), to_u32(p.color));
                } else {
                    m_dl->AddRect(at(p.a), at(p.b), to_u32(p.color), 0.0f, 0, p.width);
                }
                break;
            case PrimitiveKind::kCircle:
                if (p.filled) {
                    m_dl->AddCircleFilled(at(p.a), p.size, to_u32(p.color));
                } else {
                    m_dl->AddCircle(at(p.a), p.size, to_u32(p.color), 0, p.width);
                }
                break;
            case PrimitiveKind::kMarkers:
                markers(p);
                break;
            case PrimitiveKind::kText:
                text(p);
                break;
            case PrimitiveKind::kImage:
                // Pixels given for export only: the GL backend would draw texture 0 as black.
                if (p.texture == nullptr) break;
                m_dl->AddImage(static_cast<ImTextureID>(p.texture), at(p.a), at(p.b),
                               ImVec2(p.uv0.x, p.uv0.y), ImVec2(p.uv1.x, p.uv1.y));
                break;
            case PrimitiveKind::kPushClip:
                m_dl->PushClipRect(at(p.a), at(p.b), true);
                break;
            case PrimitiveKind::kPopClip:
                m_dl->PopClipRect();
                break;
        }
    }

    void load(std::span<const Point> pts) {
        m_buffer.resize(static_cast<int>(pts.size()));
        for (std::size_t i = 0; i < pts.size(); ++i)
            m_buffer[static_cast<int>(i)] = at(pts[i]);
    }

    void polyline(const Primitive& p) {
        const auto pts = m_rec.primitive_points(p);
        if (pts.size() < 2) return;
        load(pts);
        if (p.closed) m_buffer.push_back(m_buffer[0]);
        const ImU32 col = to_u32(p.color);
        if (p.dash > 0 && p.gap > 0) {
            dashes(col, p.width, p.dash, p.gap);
        } else {
            solid(col, p.width);
        }
    }

    void solid(ImU32 col, float width) {
        const int n = m_buffer.Size;
        int start = 0;
        for (int i = 1; i + 1 < n; ++i) {
            const ImVec2 d0{m_buffer[i].x - m_buffer[i - 1].x, m_buffer[i].y - m_buffer[i - 1].y};
            const ImVec2 d1{m_buffer[i + 1].x - m_buffer[i].x, m_buffer[i + 1].y - m_buffer[i].y};
            const float dot = d0.x * d1.x + d0.y * d1.y;
            const float norms =
                std::sqrt((d0.x * d0.x + d0.y * d0.y) * (d1.x * d1.x + d1.y * d1.y));
            if (norms > 0 && dot < kSharpTurnCos * norms) {
                m_dl->AddPolyline(m_buffer.Data + start, i - start + 1, col, 0, width);
                start = i;
            }
        }
        m_dl->AddPolyline(m_buffer.Data + start, n - start, col, 0, width);
    }

    // Dashes are measured along the line in pixels and carry over from one segment to the next.
    void dashes(ImU32 col, float width, float dash, float gap) {
        bool on = true;
        float left = dash;
        m_dash.resize(0);
        m_dash.push_back(m_buffer[0]);
        for (int i = 1; i < m_buffer.Size; ++i) {
            ImVec2 a = m_buffer[i - 1];
            const ImVec2 b = m_buffer[i];
            float length = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
            while (length > 0) {
                const float step = std::min(left, length);
                const float t = step / length;
                a = ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
                length -= step;
                left -= step;
                if (on) m_dash.push_back(a);
                if (left <= 0) {
                    if (on && m_dash.Size >= 2)
                        m_dl->AddPolyline(m_dash.Data, m_dash.Size, col, 0, width);
                    m_dash.resize(0);
                    on = !on;
                    left = on ? dash : gap;
                    if (on) m_dash.push_back(a);
                }
            }
        }
        if (on && m_dash.Size >= 2) m_dl->AddPolyline(m_dash.Data, m_dash.Size, col, 0, width);
    }

    void fill(const Primitive& p) {
        const auto pts = m_rec.primitive_points(p);
        const auto sizes = std::span<const std::uint32_t>(m_rec.polygon_sizes)
                               .subspan(p.first_polygon, p.polygon_count);
        const ImU32 col = to_u32(p.color);
        if (sizes.size() == 1) {
            // A lone polygon gets ImGui's anti-aliased fill, which wants clockwise (on screen).
            load(pts.subspan(0, sizes[0]));
            double area = 0;
            for (int i = 0; i < m_buffer.Size; ++i) {
                const ImVec2 u = m_buffer[i];
                const ImVec2 v = m_buffer[(i + 1) % m_buffer.Size];
                area += double(u.x) * v.y - double(v.x) * u.y;
            }
            if (area < 0) {
                for (int i = 0, j = m_buffer.Size - 1; i < j; ++i, --j)
                    std::swap(m_buffer[i], m_buffer[j]);
            }
            m_dl->AddConvexPolyFilled(m_buffer.Data, m_buffer.Size, col);
            return;
        }
        // Many polygons form one shape (a band): plain triangles, because anti-aliased fringes
        // would overlap along the shared edges and show as seams in a translucent fill.
        const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
        std::size_t first = 0;
        for (const std::uint32_t n : sizes) {
            if (n >= 3) {
                const int vertices = static_cast<int>(n);
                m_dl->PrimReserve((vertices - 2) * 3, vertices);
                const auto base = static_cast<ImDrawIdx>(m_dl->_VtxCurrentIdx);
                for (int k = 1; k + 1 < vertices; ++k) {
                    m_dl->PrimWriteIdx(base);
                    m_dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + k));
                    m_dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + k + 1));
                }
                for (std::uint32_t k = 0; k < n; ++k)
                    m_dl->PrimWriteVtx(at(pts[first + k]), uv, col);
            }
            first += n;
        }
    }

    void markers(const Primitive& p) {
        const ImU32 col = to_u32(p.color);
        const bool outline = p.outline.a > 0 && p.width > 0;
        const ImU32 outline_col = to_u32(p.outline);
        const float r = p.size;
        const int segments = r <= kSmallCircleRadius ? kSmallCircleSegments : 0;
        for (const Point& q : m_rec.primitive_points(p)) {
            const ImVec2 c = at(q);
            switch (p.glyph) {
                case MarkerGlyph::kCircle:
                    if (p.filled && r < kPixelMarkerRadius) {
                        // Too small to look round; a square is cheaper and reads the same.
                        m_dl->AddRectFilled({c.x - r, c.y - r}, {c.x + r, c.y + r}, col);
                    } else if (p.filled) {
                        m_dl->AddCircleFilled(c, r, col, segments);
                    } else {
                        m_dl->AddCircle(c, r, col, segments, p.width);
                    }
                    if (outline) m_dl->AddCircle(c, r, outline_col, segments, p.width);
                    break;
                case MarkerGlyph::kSquare:
                    if (p.filled) {
                        m_dl->AddRectFilled({c.x - r, c.y - r}, {c.x + r, c.y + r}, col);
                    } else {
                        m_dl->AddRect({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, 0, 0, p.width);
                    }
                    if (outline)
                        m_dl->AddRect({c.x - r, c.y - r}, {c.x + r, c.y + r}, outline_col, 0, 0,
                                      p.width);
                    break;
                case MarkerGlyph::kDiamond: {
                    // Clockwise on screen, as ImGui's anti-aliased fill wants.
                    const ImVec2 d[4] = {
                        {c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}};
                    if (p.filled) {
                        m_dl->AddConvexPolyFilled(d, 4, col);
                    } else {
                        m_dl->AddPolyline(d, 4, col, ImDrawFlags_Closed, p.width);
                    }
                    if (outline) m_dl->AddPolyline(d, 4, outline_col, ImDrawFlags_Closed, p.width);
                    break;
                }
                case MarkerGlyph::kCross: {
                    const float w = std::max(p.width, 1.0f);
                    m_dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, w);
                    m_dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, col, w);
                    break;
                }
            }
        }
    }

    void text(const Primitive& p) {
        const std::string_view s = m_rec.text(p);
        if (s.empty()) return;
        ImFont* font = ImGui::GetFont();
        const ImU32 col = to_u32(p.color);
        const char* begin = s.data();
        const char* end = s.data() + s.size();
        const ImVec2 anchor = at(p.a);
        if (!p.vertical) {
            const ImVec2 pos{std::floor(anchor.x - p.anchor.x * p.text_size.x),
                             std::floor(anchor.y - p.anchor.y * p.text_size.y)};
            m_dl->AddText(font, p.size, pos, col, begin, end);
            // No bold face in the atlas: a second pass a pixel or two over thickens the strokes.
            if (p.bold) {
                const float shift = std::max(1.0f, std::round(p.size / 16.0f));
                m_dl->AddText(font, p.size, {pos.x + shift, pos.y}, col, begin, end);
            }
            return;
        }
        vertical_text(p, font, col, begin, end, anchor);
    }

    // ImGui 1.86 cannot rotate text, so the glyphs are laid out flat and their vertices turned a
    // quarter turn afterwards, about whole pixels so the glyphs stay crisp.
    void vertical_text(const Primitive& p, ImFont* font, ImU32 col, const char* begin,
                       const char* end, ImVec2 anchor) {
        const float w = p.text_size.x;  // along the rotated text, i.e. its height on screen
        const float h = p.text_size.y;
        const ImVec2 box_min{std::floor(anchor.x - p.anchor.x * h),
                             std::floor(anchor.y - p.anchor.y * w)};
        // Lay out at the box's corner: the flat text must be inside the clip rect or ImGui culls
        // glyphs before they can be turned.
        const ImVec2 flat = box_min;
        const float side = std::max(w, h);  // covers the flat text and the turned one
        m_dl->PushClipRect(box_min, {box_min.x + side, box_min.y + side}, true);
        const int first = m_dl->VtxBuffer.Size;
        m_dl->AddText(font, p.size, flat, col, begin, end);
        // The start of the flat text goes to the rotated box's bottom-left; it then reads upward.
        const ImVec2 pivot{box_min.x, box_min.y + w};
        for (int i = first; i < m_dl->VtxBuffer.Size; ++i) {
            ImDrawVert& v = m_dl->VtxBuffer[i];
            const float dx = v.pos.x - flat.x;
            const float dy = v.pos.y - flat.y;
            v.pos = ImVec2(pivot.x + dy, pivot.y - dx);
        }
        m_dl->PopClipRect();
    }

    const Recording& m_rec;
    ImDrawList* m_dl;
    ImVec2 m_origin;
    ImVector<ImVec2>& m_buffer;
    ImVector<ImVec2>& m_dash;
};

}  // namespace

void ReplayRecording(const Recording& rec, ImDrawList* draw_list, ImVec2 origin,
                     ReplayScratch* scratch) {
    if (draw_list == nullptr) return;
    ReplayScratch own;
    Replayer(rec, draw_list, origin, scratch != nullptr ? *scratch : own).run();
}

}  // namespace rl::plot
