// libFuzzer target: bytes as a session file (or preset), read as the app reads one.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_checks.hpp"
#include "fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    rl::fuzz::abort_on_failure(
        rl::fuzz::check_document_input({reinterpret_cast<const char*>(data), size}));
    return 0;
}
