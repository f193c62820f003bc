#include "plot/csv_export.hpp"

#include <charconv>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>

namespace rl::plot {
namespace {

constexpr std::string_view kHeader = "series,kind,index,x,y,lo,hi,value,category\n";

const char* kind_name(SeriesKind kind) {
    switch (kind) {
        case SeriesKind::kLine:
            return "line";
        case SeriesKind::kBand:
            return "band";
        case SeriesKind::kScatter:
            return "scatter";
        case SeriesKind::kMarker:
            return "marker";
        case SeriesKind::kBars:
            return "bars";
        case SeriesKind::kArrow:
            return "arrow";
        case SeriesKind::kEllipse:
            return "ellipse";
        case SeriesKind::kHLine:
            return "hline";
        case SeriesKind::kVLine:
            return "vline";
        case SeriesKind::kImage:
            return "image";
        case SeriesKind::kText:
            return "text";
        case SeriesKind::kCells:
            return "cells";
    }
    return "";
}

// One row's cells after `series,kind,index`; an empty optional is an empty cell.
struct Cells {
    std::optional<double> x, y, lo, hi, value;
    std::string_view category;
};

class CsvWriter {
  public:
    explicit CsvWriter(const Recording& rec) : m_rec(rec) {}

    std::string run() {
        m_out += kHeader;
        for (const Series& s : m_rec.series)
            series(s);
        return std::move(m_out);
    }

  private:
    // RFC 4180: a field holding a separator, a quote or a line break is quoted, quotes doubled.
    void field(std::string_view text) {
        const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
        if (!quote) {
            m_out += text;
            return;
        }
        m_out += '"';
        for (std::size_t at = 0; at < text.size();) {
            const std::size_t q = text.find('"', at);
            const std::size_t end = q == std::string_view::npos ? text.size() : q + 1;
            m_out += text.substr(at, end - at);
            if (q != std::string_view::npos) m_out += '"';
            at = end;
        }
        m_out += '"';
    }

    // Shortest text that reads back as the same double ("nan", "inf" and "-inf" included).
    void number(std::optional<double> v) {
        m_out += ',';
        if (!v) return;
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, *v);
        if (result.ec == std::errc()) m_out.append(buffer, result.ptr);
    }

    void row(std::string_view label, const char* kind, std::size_t index, const Cells& c) {
        field(label);
        m_out += ',';
        m_out += kind;
        m_out += ',';
        m_out += std::to_string(index);
        number(c.x);
        number(c.y);
        number(c.lo);
        number(c.hi);
        number(c.value);
        m_out += ',';
        field(c.category);
        m_out += '\n';
    }

    void series(const Series& s) {
        // A text's label is what it shows, "##" and all, as it is drawn.
        const std::string_view label =
            s.kind == SeriesKind::kText ? m_rec.full_label(s) : m_rec.label(s);
        if (s.kind == SeriesKind::kImage) {
            image(s, label);
            return;
        }
        const auto xs = m_rec.xs(s);
        const auto ys = m_rec.ys(s);
        const auto los = m_rec.los(s);
        const auto his = m_rec.his(s);
        const auto at = [](std::span<const double> column, std::size_t k) {
            return k < column.size() ? std::optional<double>(column[k]) : std::nullopt;
        };
        for (std::size_t k = 0; k < s.count; ++k) {
            Cells c{at(xs, k), at(ys, k), at(los, k), at(his, k), at(m_rec.cell_values(s), k), {}};
            if (s.kind == SeriesKind::kBars && k < m_rec.category_count())
                c.category = m_rec.category(k);
            // A cell's column is a category when the plot names its columns.
            if (s.kind == SeriesKind::kCells && c.x &&
                static_cast<std::size_t>(*c.x) < m_rec.category_count())
                c.category = m_rec.category(static_cast<std::size_t>(*c.x));
            row(label, kind_name(s.kind), k, c);
        }
    }

    // One row per bin at its centre when the image carries values; otherwise its two corners.
    void image(const Series& s, std::string_view label) {
        const double x_min = s.bounds[0], y_min = s.bounds[1];
        const double x_max = s.bounds[2], y_max = s.bounds[3];
        const ImagePixels* px = s.pixels.get();
        const bool binned = px != nullptr && px->width > 0 && px->height > 0 &&
                            px->values.size() == static_cast<std::size_t>(px->width) *
                                                     static_cast<std::size_t>(px->height);
        if (!binned) {
            row(label, "image", 0, {x_min, y_min, {}, {}, {}, {}});
            row(label, "image", 1, {x_max, y_max, {}, {}, {}, {}});
            return;
        }
        const double bin_w = (x_max - x_min) / px->width;
        const double bin_h = (y_max - y_min) / px->height;
        std::size_t k = 0;
        for (int j = 0; j < px->height; ++j) {
            for (int i = 0; i < px->width; ++i, ++k) {
                // Row 0 is the top of the picture, the highest y.
                const double x = x_min + (i + 0.5) * bin_w;
                const double y = y_max - (j + 0.5) * bin_h;
                row(label, "image", k, {x, y, {}, {}, px->values[k], {}});
            }
        }
    }

    const Recording& m_rec;
    std::string m_out;
};

}  // namespace

std::string recording_to_csv(const Recording& rec) {
    return CsvWriter(rec).run();
}

}  // namespace rl::plot
