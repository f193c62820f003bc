#include <cmath>
#include <cstring>
#include <numbers>
#include <utility>

#include "plot/internal.hpp"
#include "plot/plot.hpp"

// The Plot* calls only record their series (a copy of the data, which CSV export needs anyway);
// EndPlot fits the axes to all of them and only then draws, so nothing lags a frame behind.
namespace rl::plot {
namespace {

constexpr int kEllipseSegments = 96;

struct NewSeries {
    Recording* rec = nullptr;
    Series* series = nullptr;
    float scale = 1;
    const PlotStyle* style = nullptr;
    explicit operator bool() const { return series != nullptr; }
};

NewSeries begin_series(const char* label, SeriesKind kind) {
    Context* ctx = current_context();
    if (ctx == nullptr || ctx->current == nullptr) return {};
    ctx->locked = true;
    Recording& rec = ctx->current->building;
    Series& s = rec.series.emplace_back();
    s.kind = kind;
    const char* text = label != nullptr ? label : "";
    const std::size_t size = std::strlen(text);
    s.label_first = rec.add_string(std::string_view(text, size));
    s.label_size = static_cast<std::uint32_t>(size);
    s.display_size = static_cast<std::uint32_t>(display_label(text).size());
    s.hidden = is_hidden(*ctx->current, label_hash(std::string_view(text, size)));
    return {&rec, &s, ctx->style.scale, &ctx->style};
}

void set_line_style(NewSeries& n, const LineStyle& style) {
    Series& s = *n.series;
    s.color = style.color;
    s.width = (style.width > 0 ? style.width : n.style->line_width) * n.scale;
    s.dashed = style.dashed;
    s.dash = style.dash * n.scale;
    s.gap = style.gap * n.scale;
    s.in_legend = style.in_legend;
}

MarkerGlyph glyph_of(MarkerShape shape) {
    switch (shape) {
        case MarkerShape::kCircle:
            return MarkerGlyph::kCircle;
        case MarkerShape::kSquare:
            return MarkerGlyph::kSquare;
        case MarkerShape::kDiamond:
            return MarkerGlyph::kDiamond;
        case MarkerShape::kCross:
            return MarkerGlyph::kCross;
    }
    return MarkerGlyph::kCircle;
}

void set_marker_style(NewSeries& n, const MarkerStyle& style) {
    Series& s = *n.series;
    s.color = style.color;
    s.marker_size = (style.size > 0 ? style.size : n.style->marker_size) * n.scale;
    s.glyph = glyph_of(style.shape);
    s.marker_filled = style.filled;
    s.outline = style.outline;
    s.width = style.outline_width * n.scale;
    s.in_legend = style.in_legend;
}

// Reserves the x and y columns of `rows` rows and returns pointers to fill them.
void add_xy(NewSeries& n, std::size_t rows, double** x, double** y) {
    Series& s = *n.series;
    s.count = static_cast<std::uint32_t>(rows);
    s.has_x = x != nullptr;
    s.has_y = y != nullptr;
    if (x != nullptr) s.x_first = n.rec->add_values(rows);
    if (y != nullptr) s.y_first = n.rec->add_values(rows);
    if (x != nullptr) *x = n.rec->values.data() + s.x_first;
    if (y != nullptr) *y = n.rec->values.data() + s.y_first;
}

double read_strided(const double* base, std::size_t index, int stride) {
    double v;
    std::memcpy(&v, reinterpret_cast<const char*>(base) + index * static_cast<std::size_t>(stride),
                sizeof v);
    return v;
}

}  // namespace

void PlotLine(const char* label, const double* xs, const double* ys, int count,
              const LineStyle& style, int offset, int stride) {
    NewSeries n = begin_series(label, SeriesKind::kLine);
    if (!n) return;
    set_line_style(n, style);
    if (xs == nullptr || ys == nullptr || count <= 0 || stride <= 0) count = 0;
    const int start = count > 0 ? ((offset % count) + count) % count : 0;
    if (start == 0 && stride == static_cast<int>(sizeof(double))) {
        // The common case, a plain array: one block copy per column.
        Series& s = *n.series;
        const auto rows = static_cast<std::size_t>(count);
        s.count = static_cast<std::uint32_t>(rows);
        s.has_x = s.has_y = true;
        s.x_first = n.rec->add_values(xs, rows);
        s.y_first = n.rec->add_values(ys, rows);
        return;
    }
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, static_cast<std::size_t>(count), &x, &y);
    for (int i = 0; i < count; ++i) {
        const auto index = static_cast<std::size_t>((start + i) % count);
        x[i] = read_strided(xs, index, stride);
        y[i] = read_strided(ys, index, stride);
    }
}

void PlotBand(const char* label, const double* xs, const double* lo, const double* hi, int count,
              Rgba fill) {
    NewSeries n = begin_series(label, SeriesKind::kBand);
    if (!n) return;
    Series& s = *n.series;
    s.color = fill;
    if (xs == nullptr || lo == nullptr || hi == nullptr || count <= 0) count = 0;
    const auto rows = static_cast<std::size_t>(count);
    s.count = static_cast<std::uint32_t>(rows);
    s.has_x = s.has_band = true;
    s.x_first = n.rec->add_values(xs, rows);
    s.lo_first = n.rec->add_values(lo, rows);
    s.hi_first = n.rec->add_values(hi, rows);
}

void PlotScatter(const char* label, const float* xs, const float* ys, int count,
                 const MarkerStyle& style) {
    NewSeries n = begin_series(label, SeriesKind::kScatter);
    if (!n) return;
    set_marker_style(n, style);
    if (xs == nullptr || ys == nullptr || count <= 0) count = 0;
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, static_cast<std::size_t>(count), &x, &y);
    for (int i = 0; i < count; ++i) {
        x[i] = xs[i];
        y[i] = ys[i];
    }
}

void PlotMarker(const char* label, double px, double py, const MarkerStyle& style) {
    NewSeries n = begin_series(label, SeriesKind::kMarker);
    if (!n) return;
    set_marker_style(n, style);
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, 1, &x, &y);
    x[0] = px;
    y[0] = py;
}

void PlotBars(const char* label, const double* values, int count, double width, Rgba color) {
    NewSeries n = begin_series(label, SeriesKind::kBars);
    if (!n) return;
    n.series->color = color;
    n.series->bar_width = std::isfinite(width) && width > 0 ? width : 0.8;
    if (values == nullptr || count <= 0) count = 0;
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, static_cast<std::size_t>(count), &x, &y);
    for (int i = 0; i < count; ++i) {
        x[i] = i;
        y[i] = values[i];
    }
}

void PlotArrow(const char* label, double x0, double y0, double x1, double y1,
               const LineStyle& style) {
    NewSeries n = begin_series(label, SeriesKind::kArrow);
    if (!n) return;
    set_line_style(n, style);
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, 2, &x, &y);
    x[0] = x0;
    y[0] = y0;
    x[1] = x1;
    y[1] = y1;
}

void PlotEllipse(const char* label, double cx, double cy, double var_x, double var_y, double cov_xy,
                 double n_sigma, const LineStyle& style) {
    NewSeries n = begin_series(label, SeriesKind::kEllipse);
    if (!n) return;
    set_line_style(n, style);
    Series& s = *n.series;
    const double params[6] = {cx, cy, var_x, var_y, cov_xy, n_sigma};
    bool finite = true;
    for (int i = 0; i < 6; ++i) {
        s.ellipse[i] = params[i];
        finite = finite && std::isfinite(params[i]);
    }
    if (!finite) {
        add_xy(n, 0, nullptr, nullptr);
        return;
    }
    // Principal axes of [[var_x, cov], [cov, var_y]]; a covariance that is not quite positive
    // semi-definite (rounding) is clamped rather than producing NaN radii.
    const double mean = 0.5 * (var_x + var_y);
    const double d = std::hypot(0.5 * (var_x - var_y), cov_xy);
    const double r1 = std::abs(n_sigma) * std::sqrt(std::max(mean + d, 0.0));
    const double r2 = std::abs(n_sigma) * std::sqrt(std::max(mean - d, 0.0));
    const double theta = 0.5 * std::atan2(2.0 * cov_xy, var_x - var_y);
    const double c = std::cos(theta);
    const double sn = std::sin(theta);
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, kEllipseSegments + 1, &x, &y);
    for (int k = 0; k < kEllipseSegments; ++k) {
        const double t = 2.0 * std::numbers::pi * k / kEllipseSegments;
        const double ex = r1 * std::cos(t);
        const double ey = r2 * std::sin(t);
        x[k] = cx + ex * c - ey * sn;
        y[k] = cy + ex * sn + ey * c;
    }
    // Closed exactly, so the outline has no gap at the seam.
    x[kEllipseSegments] = x[0];
    y[kEllipseSegments] = y[0];
}

void PlotHLine(const char* label, double value, const LineStyle& style) {
    NewSeries n = begin_series(label, SeriesKind::kHLine);
    if (!n) return;
    set_line_style(n, style);
    double* y = nullptr;
    add_xy(n, 1, nullptr, &y);
    y[0] = value;
}

void PlotVLine(const char* label, double value, const LineStyle& style) {
    NewSeries n = begin_series(label, SeriesKind::kVLine);
    if (!n) return;
    set_line_style(n, style);
    double* x = nullptr;
    add_xy(n, 1, &x, nullptr);
    x[0] = value;
}

void PlotImage(const char* label, ImTextureID texture, double x_min, double y_min, double x_max,
               double y_max, std::shared_ptr<const ImagePixels> pixels) {
    NewSeries n = begin_series(label, SeriesKind::kImage);
    if (!n) return;
    Series& s = *n.series;
    s.texture = texture;
    s.pixels = std::move(pixels);
    s.color = n.style->text_dim;
    s.bounds[0] = x_min;
    s.bounds[1] = y_min;
    s.bounds[2] = x_max;
    s.bounds[3] = y_max;
    add_xy(n, 0, nullptr, nullptr);
}

void PlotCells(const char* label, const double* values, const Rgba* colors, int rows, int cols) {
    NewSeries n = begin_series(label, SeriesKind::kCells);
    if (!n) return;
    Series& s = *n.series;
    s.in_legend = false;
    if (values == nullptr || colors == nullptr || rows <= 0 || cols <= 0) rows = cols = 0;
    const auto count = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, count, &x, &y);
    s.lo_first = n.rec->add_values(values, count);
    s.colors_first = n.rec->add_values(count * 4);
    // The columns moved when the values grew.
    x = n.rec->values.data() + s.x_first;
    y = n.rec->values.data() + s.y_first;
    double* rgba = n.rec->values.data() + s.colors_first;
    for (std::size_t k = 0; k < count; ++k) {
        x[k] = static_cast<double>(k % static_cast<std::size_t>(cols));
        y[k] = static_cast<double>(k / static_cast<std::size_t>(cols)) + 1.0;
        rgba[4 * k] = colors[k].r;
        rgba[4 * k + 1] = colors[k].g;
        rgba[4 * k + 2] = colors[k].b;
        rgba[4 * k + 3] = colors[k].a;
    }
}

void PlotText(double px, double py, const char* text, Rgba color, ImVec2 pixel_offset) {
    // The text is the series' label: it is what the series shows, and it stays out of the legend.
    NewSeries n = begin_series(text, SeriesKind::kText);
    if (!n) return;
    Series& s = *n.series;
    s.color = color;
    s.in_legend = false;
    s.hidden = false;
    s.pixel_offset = {pixel_offset.x * n.scale, pixel_offset.y * n.scale};
    double* x = nullptr;
    double* y = nullptr;
    add_xy(n, 1, &x, &y);
    x[0] = px;
    y[0] = py;
}

}  // namespace rl::plot
