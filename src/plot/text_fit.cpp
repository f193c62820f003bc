#include <string>

#include "plot/internal.hpp"

// Text that fits: labels cut to the room they have, tick labels dropped where they would touch.
namespace rl::plot {
namespace {

constexpr std::string_view kEllipsis = "…";

float width_of(std::string_view s) {
    return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x;
}

bool continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool inside(const Box& inner, float width, float height) {
    // Half a pixel of slack: boxes are floored to whole pixels as the replay draws them.
    return inner.x0 >= -0.5f && inner.y0 >= -0.5f && inner.x1 <= width + 0.5f &&
           inner.y1 <= height + 0.5f;
}

}  // namespace

std::string fit_text(std::string_view text, float max_width) {
    if (width_of(text) <= max_width) return std::string(text);
    const float room = max_width - width_of(kEllipsis);
    if (room <= 0.0f) return {};
    // Longest prefix, cut between characters, that leaves room for the ellipsis.
    std::size_t lo = 0, hi = text.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi + 1) / 2;
        if (width_of(text.substr(0, mid)) <= room) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    while (lo > 0 && lo < text.size() && continuation_byte(text[lo]))
        --lo;
    std::size_t end = lo;
    while (end > 0 && text[end - 1] == ' ')
        --end;
    if (end == 0) return {};
    std::string out(text.substr(0, end));
    out += kEllipsis;
    return out;
}

void drop_crowded_labels(Recording& rec, float width, float height, std::vector<Box>& kept) {
    kept.clear();
    for (const Primitive& p : rec.primitives) {
        if (p.kind == PrimitiveKind::kText && p.count > 0 && !p.expendable)
            kept.push_back(text_box(p));
    }
    for (Primitive& p : rec.primitives) {
        if (p.kind != PrimitiveKind::kText || p.count == 0 || !p.expendable) continue;
        const Box box = text_box(p);
        bool crowded = !inside(box, width, height);
        for (std::size_t i = 0; i < kept.size() && !crowded; ++i)
            crowded = boxes_overlap(box, kept[i]);
        if (crowded) {
            p.count = 0;
        } else {
            kept.push_back(box);
        }
    }
}

}  // namespace rl::plot
