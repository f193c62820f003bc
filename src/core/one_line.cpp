#include "core/one_line.hpp"

#include <cstdio>

namespace rl::core {

namespace {

void append_escaped(std::string& out, char c) {
    switch (c) {
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            break;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        char code[8];
        std::snprintf(code, sizeof code, "\\u%04x", static_cast<unsigned char>(c));
        out += code;
        return;
    }
    out += c;
}

bool continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string one_line(std::string_view text, std::size_t max_bytes) {
    std::string out;
    std::size_t used = 0;
    for (; used < text.size() && out.size() < max_bytes; ++used)
        append_escaped(out, text[used]);
    if (used == text.size()) return out;
    // A multi-byte character split by the cut would make the message invalid UTF-8.
    while (used > 0 && continuation_byte(text[used])) {
        --used;
        out.pop_back();
    }
    out += " [cut: ";
    out += std::to_string(text.size() - used);
    out += " more bytes]";
    return out;
}

}  // namespace rl::core
