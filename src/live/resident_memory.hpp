#pragma once

#include <cstddef>
#include <optional>

namespace rl::live {

// The process's resident set size in bytes, from /proc/self/statm; empty where that cannot be
// read (not Linux), so a caller can say so instead of reporting a made-up figure.
std::optional<std::size_t> resident_bytes();

// Hands the allocator's free pages back to the system. glibc keeps freed memory inside its heaps
// (one per thread that allocated) and reuses it in whatever pattern the next run happens to
// allocate in, so after a vocabulary-sized run the process stays large and drifts higher as those
// heaps fragment. A no-op elsewhere.
void release_free_memory();

}  // namespace rl::live
