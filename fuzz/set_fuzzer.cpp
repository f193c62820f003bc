// libFuzzer target: a preset name, then --set KEY=VALUE lines applied as the command line does.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_checks.hpp"
#include "fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Read once: the presets are the starting points, not the input.
    static const std::vector<rl::io::SessionFile> presets = rl::fuzz::set_input_presets();
    rl::fuzz::abort_on_failure(
        rl::fuzz::check_set_input({reinterpret_cast<const char*>(data), size}, presets));
    return 0;
}
