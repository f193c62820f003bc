#include "io/csv.hpp"

#include <cmath>
#include <cstdio>

namespace rl::io {

std::string format_csv_number(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10g", x);
    return buffer;
}

std::string sanitize_column_name(std::string_view name) {
    std::string out(name);
    for (char& c : out) {
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!keep) c = '_';
    }
    return out;
}

void CsvTable::separate() {
    if (m_row_started) m_text += ',';
    m_row_started = true;
}

CsvTable& CsvTable::number(double x) {
    separate();
    m_text += format_csv_number(x);
    return *this;
}

CsvTable& CsvTable::number(std::optional<double> x) {
    if (!x) return empty();
    return number(*x);
}

CsvTable& CsvTable::integer(long long x) {
    separate();
    m_text += std::to_string(x);
    return *this;
}

CsvTable& CsvTable::text(std::string_view s) {
    separate();
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) {
        m_text += s;
        return *this;
    }
    m_text += '"';
    for (char c : s) {
        if (c == '"') m_text += '"';
        m_text += c;
    }
    m_text += '"';
    return *this;
}

CsvTable& CsvTable::empty() {
    separate();
    return *this;
}

CsvTable& CsvTable::end_row() {
    m_text += '\n';
    m_row_started = false;
    return *this;
}

}  // namespace rl::io
