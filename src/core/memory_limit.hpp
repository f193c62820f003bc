#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// How much memory a run may ask for: half this machine's physical memory unless --memory-limit
// says otherwise. Sizes are in bytes; K, M, G and T mean powers of 1024, as the messages print.
namespace rl::core {

struct MemoryLimit {
    std::uint64_t bytes = 0;   // 0: no limit (the machine's memory could not be read)
    bool from_option = false;  // given by --memory-limit rather than the machine's default
};

// The machine's physical memory in bytes (sysconf, else /proc/meminfo); 0 when neither answers.
std::uint64_t machine_memory_bytes();
// MemTotal of /proc/meminfo in bytes; 0 where it cannot be read.
std::uint64_t meminfo_memory_bytes();

// Half of `machine_bytes`: the other half stays for the window, the system and whatever else
// the class runs. No limit when the machine's memory is unknown (0).
MemoryLimit default_memory_limit(std::uint64_t machine_bytes);
MemoryLimit default_memory_limit();

// `option_bytes` from --memory-limit, or 0 when it was not given (the machine's default).
MemoryLimit memory_limit_from_option(std::uint64_t option_bytes);

// "2G", "512M", "1.5GiB", "64k", "1048576": a number of bytes above 0 with an optional unit (K,
// M, G, T, each alone or with B or iB, any case). Empty when the text is not one.
std::optional<std::uint64_t> parse_memory_size(std::string_view text);

// "8.0 GiB", "512.0 MiB", "900 bytes".
std::string format_bytes(double bytes);

// "11.8 GiB (half this machine's memory; --memory-limit changes it)" or "2.0 GiB (--memory-limit)".
std::string describe_limit(const MemoryLimit& limit);

}  // namespace rl::core
