#include "plot/internal.hpp"

namespace rl::plot {

void add_segment(Recording& rec, Point a, Point b, Rgba color, float width, int series) {
    Primitive& p = rec.add_primitive(PrimitiveKind::kPolyline, series);
    p.color = color;
    p.width = width;
    p.first = static_cast<std::uint32_t>(rec.points.size());
    p.count = 2;
    rec.points.push_back(a);
    rec.points.push_back(b);
}

void add_rect(Recording& rec, Box box, Rgba color, bool filled, float width, int series) {
    Primitive& p = rec.add_primitive(PrimitiveKind::kRect, series);
    p.color = color;
    p.filled = filled;
    p.width = width;
    p.a = {box.x0, box.y0};
    p.b = {box.x1, box.y1};
}

void add_text(Recording& rec, Point at, Point anchor, std::string_view text, Rgba color,
              float font_size, int series) {
    if (text.empty()) return;
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    const float ratio = font_size / ImGui::GetFontSize();
    // `text` may itself lie in the pool (a series label); appending a string to itself is
    // well defined.
    const std::uint32_t first = rec.add_string(text);
    Primitive& p = rec.add_primitive(PrimitiveKind::kText, series);
    p.color = color;
    p.size = font_size;
    p.a = at;
    p.anchor = anchor;
    p.text_size = {size.x * ratio, size.y * ratio};
    p.first = first;
    p.count = static_cast<std::uint32_t>(text.size());
}

}  // namespace rl::plot
