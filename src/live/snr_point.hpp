#pragma once

#include <string>

namespace rl::live {

// A Monte Carlo SNR for the current baseline at one K. Points refine over the frames while the
// policy stands still; `current` is false once the policy or the settings moved on.
struct SnrPoint {
    int K = 1;
    double snr = 0.0;  // 0 when `reason` says why there is none
    int batches = 0;
    bool current = true;
    std::string reason;  // snr_undefined_reason; empty when snr is a number
};

}  // namespace rl::live
