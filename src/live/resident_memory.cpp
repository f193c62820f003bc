#include "live/resident_memory.hpp"

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdio>

namespace rl::live {

std::optional<std::size_t> resident_bytes() {
    // stdio, not iostreams: sampling once a second must not itself allocate on every call.
    std::FILE* file = std::fopen("/proc/self/statm", "r");
    if (file == nullptr) return std::nullopt;
    unsigned long size_pages = 0, resident_pages = 0;
    const int read = std::fscanf(file, "%lu %lu", &size_pages, &resident_pages);
    std::fclose(file);
    const long page = sysconf(_SC_PAGESIZE);
    if (read != 2 || page <= 0) return std::nullopt;
    return static_cast<std::size_t>(resident_pages) * static_cast<std::size_t>(page);
}

void release_free_memory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace rl::live
