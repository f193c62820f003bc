#include "plot/recording.hpp"

#include <cmath>

namespace rl::plot {

void Recording::clear() {
    id.clear();
    title.clear();
    x_label.clear();
    y_label.clear();
    size = {};
    plot_area = {};
    x = {};
    y = {};
    primitives.clear();
    points.clear();
    polygon_sizes.clear();
    series.clear();
    values.clear();
    strings.clear();
    category_ranges.clear();
    row_ranges.clear();
    legend.clear();
}

std::string_view Recording::label(const Series& s) const {
    return std::string_view(strings).substr(s.label_first, s.display_size);
}

std::string_view Recording::full_label(const Series& s) const {
    return std::string_view(strings).substr(s.label_first, s.label_size);
}

std::string_view Recording::text(const Primitive& p) const {
    if (p.kind != PrimitiveKind::kText) return {};
    return std::string_view(strings).substr(p.first, p.count);
}

std::span<const Point> Recording::primitive_points(const Primitive& p) const {
    switch (p.kind) {
        case PrimitiveKind::kPolyline:
        case PrimitiveKind::kFill:
        case PrimitiveKind::kMarkers:
            return std::span<const Point>(points).subspan(p.first, p.count);
        default:
            return {};
    }
}

std::span<const double> Recording::xs(const Series& s) const {
    if (!s.has_x) return {};
    return std::span<const double>(values).subspan(s.x_first, s.count);
}

std::span<const double> Recording::ys(const Series& s) const {
    if (!s.has_y) return {};
    return std::span<const double>(values).subspan(s.y_first, s.count);
}

std::span<const double> Recording::los(const Series& s) const {
    if (!s.has_band) return {};
    return std::span<const double>(values).subspan(s.lo_first, s.count);
}

std::span<const double> Recording::cell_values(const Series& s) const {
    if (s.kind != SeriesKind::kCells) return {};
    return std::span<const double>(values).subspan(s.lo_first, s.count);
}

Rgba Recording::cell_color(const Series& s, std::size_t k) const {
    const double* c = values.data() + s.colors_first + 4 * k;
    return {static_cast<float>(c[0]), static_cast<float>(c[1]), static_cast<float>(c[2]),
            static_cast<float>(c[3])};
}

std::span<const double> Recording::his(const Series& s) const {
    if (!s.has_band) return {};
    return std::span<const double>(values).subspan(s.hi_first, s.count);
}

std::string_view Recording::category(std::size_t i) const {
    return std::string_view(strings).substr(category_ranges[2 * i], category_ranges[2 * i + 1]);
}

std::string_view Recording::row_name(std::size_t i) const {
    return std::string_view(strings).substr(row_ranges[2 * i], row_ranges[2 * i + 1]);
}

std::uint32_t Recording::add_string(std::string_view s) {
    const auto first = static_cast<std::uint32_t>(strings.size());
    strings.append(s);
    return first;
}

std::uint32_t Recording::add_values(std::size_t n) {
    const auto first = static_cast<std::uint32_t>(values.size());
    values.resize(values.size() + n, 0.0);
    return first;
}

std::uint32_t Recording::add_values(const double* v, std::size_t n) {
    const auto first = static_cast<std::uint32_t>(values.size());
    values.insert(values.end(), v, v + n);
    return first;
}

Primitive& Recording::add_primitive(PrimitiveKind kind, int series_index) {
    Primitive& p = primitives.emplace_back();
    p.kind = kind;
    p.series = series_index;
    return p;
}

Box text_box(const Primitive& p) {
    // A vertical text is its flat box turned a quarter turn; the anchor places the turned box.
    const float w = p.vertical ? p.text_size.y : p.text_size.x;
    const float h = p.vertical ? p.text_size.x : p.text_size.y;
    const float x0 = std::floor(p.a.x - p.anchor.x * w);
    const float y0 = std::floor(p.a.y - p.anchor.y * h);
    return {x0, y0, x0 + w, y0 + h};
}

bool boxes_overlap(const Box& a, const Box& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

std::vector<TextBox> text_boxes(const Recording& rec) {
    std::vector<TextBox> out;
    for (std::size_t i = 0; i < rec.primitives.size(); ++i) {
        const Primitive& p = rec.primitives[i];
        if (p.kind != PrimitiveKind::kText || p.count == 0) continue;
        out.push_back({text_box(p), rec.text(p), i});
    }
    return out;
}

}  // namespace rl::plot
