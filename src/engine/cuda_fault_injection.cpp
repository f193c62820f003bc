#include "engine/cuda_fault_injection.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "core/one_line.hpp"

namespace rl::engine {

namespace {

// The value is quoted escaped and cut: an environment variable can hold line breaks and megabytes.
std::string refused(std::string_view value, const std::string& why) {
    constexpr std::size_t kQuotedBytes = 64;
    return std::string(kCudaFaultVariable) + "=" + core::one_line(value, kQuotedBytes) + ": " +
           core::one_line(why, 2 * kQuotedBytes) +
           " (expected start, alloc, run or run:N with N from 1 to " +
           std::to_string(kCudaFaultMaxLaunch) + ")";
}

}  // namespace

CudaFaultSwitch parse_cuda_fault(std::string_view value) {
    CudaFaultSwitch out;
    if (value.empty()) return out;
    CudaFaultPlan plan;
    plan.value = std::string(value);
    const std::size_t colon = value.find(':');
    const std::string_view site = value.substr(0, colon);
    if (site == "start") {
        plan.site = CudaFaultSite::kStart;
    } else if (site == "alloc") {
        plan.site = CudaFaultSite::kAlloc;
    } else if (site == "run") {
        plan.site = CudaFaultSite::kRun;
        plan.launch = kCudaFaultDefaultLaunch;
    } else {
        out.error = refused(value, "unknown fault site '" + std::string(site) + "'");
        return out;
    }
    if (colon != std::string_view::npos) {
        if (plan.site != CudaFaultSite::kRun) {
            out.error = refused(value, "only run takes a launch number");
            return out;
        }
        const std::string_view digits = value.substr(colon + 1);
        int n = 0;
        // Digits only: from_chars alone would accept a sign and stop at trailing junk.
        const bool all_digits =
            !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (!all_digits || ec != std::errc() || end != digits.data() + digits.size() || n < 1 ||
            n > kCudaFaultMaxLaunch) {
            out.error = refused(value, "the launch number '" + std::string(digits) +
                                           "' is not a whole number in range");
            return out;
        }
        plan.launch = n;
    }
    out.plan = std::move(plan);
    return out;
}

CudaFaultSwitch read_cuda_fault_switch() {
    const char* value = std::getenv(kCudaFaultVariable);
    return parse_cuda_fault(value == nullptr ? std::string_view{} : std::string_view(value));
}

void CudaFaultInjector::fail(const char* call, const char* error_text,
                             const char* error_name) const {
    // Worded like RL_CUDA_CHECK_THROW's messages, with the error the runtime would give there.
    throw std::runtime_error(std::string(call) + " failed: " + error_text + " (" + error_name +
                             ", injected by " + kCudaFaultVariable + "=" + m_plan->value + ")");
}

void CudaFaultInjector::at_start() {
    if (m_plan && m_plan->site == CudaFaultSite::kStart)
        fail("cudaSetDevice", "CUDA-capable device(s) is/are busy or unavailable",
             "cudaErrorDevicesUnavailable");
}

void CudaFaultInjector::at_alloc() {
    if (!m_plan || m_plan->site != CudaFaultSite::kAlloc || m_alloc_failed) return;
    m_alloc_failed = true;
    fail("cudaMalloc", "out of memory", "cudaErrorMemoryAllocation");
}

void CudaFaultInjector::at_launch() {
    if (!m_plan || m_plan->site != CudaFaultSite::kRun) return;
    ++m_launches;
    if (m_launches >= m_plan->launch) m_launch_failed = true;
    if (m_launch_failed)
        fail("cloud kernel launch", "unspecified launch failure", "cudaErrorLaunchFailure");
}

}  // namespace rl::engine
