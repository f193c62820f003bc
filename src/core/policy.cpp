#include "core/policy.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rl::core {

void softmax(std::span<const double> logits, std::span<double> probs, std::span<double> log_probs) {
    const double top = *std::max_element(logits.begin(), logits.end());
    double total = 0.0;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        probs[i] = std::exp(logits[i] - top);
        total += probs[i];
    }
    const double inv = 1.0 / total;
    const double log_total = std::log(total);
    for (std::size_t i = 0; i < logits.size(); ++i) {
        probs[i] *= inv;
        if (!log_probs.empty()) log_probs[i] = (logits[i] - top) - log_total;
    }
}

std::vector<double> softmax(std::span<const double> logits) {
    std::vector<double> p(logits.size());
    softmax(logits, p);
    return p;
}

std::vector<double> logits_from_probabilities(std::span<const double> probs, Parameterization p) {
    std::vector<double> logits(probs.size());
    for (std::size_t i = 0; i < probs.size(); ++i)
        logits[i] = std::log(probs[i]);
    const double shift = p == Parameterization::kPinnedLast
                             ? logits.back()
                             : std::accumulate(logits.begin(), logits.end(), 0.0) /
                                   static_cast<double>(logits.size());
    for (double& l : logits)
        l -= shift;
    if (p == Parameterization::kPinnedLast) logits.back() = 0.0;
    return logits;
}

}  // namespace rl::core
