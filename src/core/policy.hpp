#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace rl::core {

// Free: softmax over N free logits. PinnedLast: the last logit is held at 0 and only the first
// N - 1 move; for N = 2 this is the sigmoid policy pi(a=1) = sigma(theta).
enum class Parameterization { kFree, kPinnedLast };

// Number of parameters the gradient has.
inline std::size_t gradient_dim(Parameterization p, std::size_t n_actions) {
    return p == Parameterization::kPinnedLast ? n_actions - 1 : n_actions;
}

// Numerically stable softmax; also returns log-probabilities when asked.
void softmax(std::span<const double> logits, std::span<double> probs,
             std::span<double> log_probs = {});
std::vector<double> softmax(std::span<const double> logits);

// Logits with the given probabilities (all > 0). Pinned: shifted so the last logit is 0; free:
// shifted so they average 0.
std::vector<double> logits_from_probabilities(std::span<const double> probs, Parameterization p);

}  // namespace rl::core
