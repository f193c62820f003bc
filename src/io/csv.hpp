#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rl::io {

// One CSV document built row by row, cells separated by commas and rows ended by '\n'.
class CsvTable {
  public:
    // A number with 10 significant digits; "inf"/"-inf" for infinities, "nan" for NaN.
    CsvTable& number(double x);
    // An empty cell when there is no value.
    CsvTable& number(std::optional<double> x);
    CsvTable& integer(long long x);
    // Text, quoted when it holds a comma, a quote or a line break.
    CsvTable& text(std::string_view s);
    CsvTable& empty();
    CsvTable& end_row();

    const std::string& str() const { return m_text; }

  private:
    void separate();

    std::string m_text;
    bool m_row_started = false;
};

std::string format_csv_number(double x);

// Keeps [A-Za-z0-9_-] and replaces everything else with '_', so a name can be part of a column
// header that spreadsheets and pandas read without quoting.
std::string sanitize_column_name(std::string_view name);

}  // namespace rl::io
