#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.hpp"

// Independent readers for what the plot exporters write: XML well-formedness by xmllint, base64,
// and CSV by RFC 4180. Written apart from the exporters so a shared mistake cannot hide.
namespace rl_test {

inline std::size_t count_of(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos;
         at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

// xmllint's verdict on `document`; nothing when xmllint is not installed (libxml2-utils). Its
// complaints are printed unless `quiet` (for a document meant to be refused).
inline std::optional<bool> xmllint_accepts(const std::string& document, bool quiet = false) {
    if (std::system("command -v xmllint > /dev/null 2>&1") != 0) return std::nullopt;
    TempDir dir("rl-export");
    const auto file = dir.path / "plot.svg";
    std::ofstream(file, std::ios::binary) << document;
    std::string command = "xmllint --noout '";
    command += file.string();
    command += quiet ? "' 2> /dev/null" : "'";
    return std::system(command.c_str()) == 0;
}

// Nothing when `text` holds a character outside the base64 alphabet or has a bad length.
inline std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<std::uint8_t> out;
    std::uint32_t bits = 0;
    int held = 0;
    for (const char c : text) {
        if (c == '=') break;
        int v = -1;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        if (c >= '0' && c <= '9') v = c - '0' + 52;
        if (c == '+') v = 62;
        if (c == '/') v = 63;
        if (v < 0) return std::nullopt;
        bits = (bits << 6) | static_cast<std::uint32_t>(v);
        held += 6;
        if (held >= 8) {
            held -= 8;
            out.push_back(static_cast<std::uint8_t>((bits >> held) & 0xFFu));
        }
    }
    return out;
}

// Rows of cells; a quoted cell may hold commas, doubled quotes and line breaks.
inline std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(cell));
            cell.clear();
        } else if (c == '\n') {
            row.push_back(std::move(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            cell += c;
        }
    }
    return rows;
}

}  // namespace rl_test
