#include "live/snr_curves.hpp"

#include <cmath>
#include <string>

#include "core/choices.hpp"
#include "core/exact.hpp"

namespace rl::live {

std::vector<int> snr_curve_ks() {
    std::vector<int> ks;
    for (int k = 1; k <= kSnrMaxK; k *= 2) {
        ks.push_back(k);
        if (k >= 2 && k + k / 2 <= kSnrMaxK) ks.push_back(k + k / 2);
    }
    return ks;
}

SnrCurve exact_snr_curve(const core::PolicyPoint& pt, const core::EstimatorSettings& s) {
    SnrCurve curve;
    curve.baseline = s.baseline;
    std::string undefined;
    // The sums over the actions once, then each K in O(1): at N = 50,000 a curve per K cost
    // milliseconds, and the plot has two dozen K for each baseline.
    const core::ClosedFormTrace traces(pt, s);
    for (int K : snr_curve_ks()) {
        if (!core::has_closed_form(s, K)) continue;
        const double trace = traces.trace_cov(K), mean_norm = traces.mean_norm(K);
        const double snr = core::signal_to_noise(mean_norm, trace);
        std::string reason = core::snr_undefined_reason(mean_norm, trace);
        if (K == 1 && reason.empty() && snr > kNoiseFreeSnr) {
            curve.noise_free = true;
            break;
        }
        // No noise, or neither signal nor noise: no SNR to draw on log axes.
        if (!reason.empty()) {
            undefined = std::move(reason);
            continue;
        }
        curve.K.push_back(K);
        curve.snr.push_back(snr);
    }
    if (curve.noise_free) {
        curve.reason = "no noise: every estimate is the true gradient";
    } else if (curve.K.empty()) {
        curve.reason = !undefined.empty() ? undefined + " at this policy"
                                          : std::string(core::no_closed_form_reason(s, kSnrMaxK));
    }
    return curve;
}

std::vector<SnrCurve> exact_snr_curves(const core::PolicyPoint& pt,
                                       const core::EstimatorSettings& settings) {
    std::vector<SnrCurve> curves;
    curves.reserve(core::kBanditBaselines.size());
    for (core::BaselineKind baseline : core::kBanditBaselines) {
        core::EstimatorSettings s = settings;
        s.baseline = baseline;
        curves.push_back(exact_snr_curve(pt, s));
    }
    return curves;
}

}  // namespace rl::live
