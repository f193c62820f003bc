#include "core/memory_limit.hpp"

#include <unistd.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

namespace rl::core {

namespace {

// Above this a size does not fit the byte counts the estimate and the limit compare.
constexpr double kMaxSize = 9.2e18;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// The unit's multiple: "" and "B" are bytes; K, M, G, T alone or with B or iB.
std::optional<double> unit_multiple(std::string_view unit) {
    if (unit.empty() || equal_ignoring_case(unit, "b")) return 1.0;
    constexpr std::string_view kPrefixes = "kmgt";
    const std::size_t power =
        kPrefixes.find(static_cast<char>(std::tolower(static_cast<unsigned char>(unit[0]))));
    if (power == std::string_view::npos) return std::nullopt;
    const std::string_view rest = unit.substr(1);
    if (!rest.empty() && !equal_ignoring_case(rest, "b") && !equal_ignoring_case(rest, "ib"))
        return std::nullopt;
    return std::ldexp(1.0, 10 * static_cast<int>(power + 1));
}

}  // namespace

std::uint64_t meminfo_memory_bytes() {
    std::ifstream in("/proc/meminfo");
    std::string key, unit;
    std::uint64_t kib = 0;
    while (in >> key >> kib >> unit)
        if (key == "MemTotal:") return kib * 1024;
    return 0;
}

std::uint64_t machine_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0)
        return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
    return meminfo_memory_bytes();
}

MemoryLimit default_memory_limit(std::uint64_t machine_bytes) {
    return {machine_bytes / 2, false};
}

MemoryLimit default_memory_limit() {
    return default_memory_limit(machine_memory_bytes());
}

MemoryLimit memory_limit_from_option(std::uint64_t option_bytes) {
    if (option_bytes == 0) return default_memory_limit();
    return {option_bytes, true};
}

std::optional<std::uint64_t> parse_memory_size(std::string_view text) {
    double number = 0.0;
    // Fixed notation only: "1e9" would read as 1 with a unit "e9", which is refused below.
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), number, std::chars_format::fixed);
    if (error != std::errc() || text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
        return std::nullopt;
    const std::optional<double> multiple =
        unit_multiple(text.substr(static_cast<std::size_t>(end - text.data())));
    if (!multiple) return std::nullopt;
    const double bytes = std::floor(number * *multiple);
    if (!(bytes >= 1.0 && bytes <= kMaxSize)) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::string format_bytes(double bytes) {
    constexpr std::array<const char*, 5> kUnits{"KiB", "MiB", "GiB", "TiB", "PiB"};
    char text[48];
    if (bytes < 1024.0) {
        std::snprintf(text, sizeof text, "%.0f bytes", bytes);
        return text;
    }
    std::size_t unit = 0;
    double value = bytes / 1024.0;
    while (value >= 1024.0 && unit + 1 < kUnits.size()) {
        value /= 1024.0;
        ++unit;
    }
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
    return text;
}

std::string describe_limit(const MemoryLimit& limit) {
    std::string text = format_bytes(static_cast<double>(limit.bytes));
    text += limit.from_option ? " (--memory-limit)"
                              : " (half this machine's memory; --memory-limit changes it)";
    return text;
}

}  // namespace rl::core
