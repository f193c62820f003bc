#include "core/advantages.hpp"

#include <algorithm>

#include <cmath>

namespace rl::core {

namespace {
double mean_of(std::span<const double> xs) {
    double s = 0.0;
    for (double x : xs)
        s += x;
    return s / static_cast<double>(xs.size());
}

// A batch whose rewards all agree has every batch-relative advantage exactly 0; asked of the
// rewards themselves, since three rewards of 0.1 have a mean that rounds to 0.1 + 1.4e-17 and
// would leave each a stray -1.4e-17, an estimate that points somewhere at random.
bool all_agree(std::span<const double> rewards) {
    return std::all_of(rewards.begin(), rewards.end(), [&](double r) { return r == rewards[0]; });
}
}  // namespace

double compute_advantages(BaselineKind kind, double fixed_baseline, std::span<const double> rewards,
                          std::span<double> advantages, AdvantageTerms* terms) {
    const std::size_t k = rewards.size();
    // Every kind but RLOO subtracts one value from the whole batch.
    const auto same_baseline = [&](double b, double spread) {
        if (!terms) return;
        terms->baselines.assign(k, b);
        terms->spread = spread;
    };
    switch (kind) {
        case BaselineKind::kBatchMean: {
            const double m = mean_of(rewards);
            const bool agree = all_agree(rewards);
            for (std::size_t i = 0; i < k; ++i)
                advantages[i] = agree ? 0.0 : rewards[i] - m;
            same_baseline(m, 1.0);
            return m;
        }
        case BaselineKind::kRloo: {
            if (terms) {
                terms->baselines.resize(k);
                terms->spread = 1.0;
            }
            if (k < 2) {
                advantages[0] = 0.0;  // no other sample to compare with
                if (terms) terms->baselines[0] = rewards[0];
                return rewards[0];
            }
            double total = 0.0;
            for (double r : rewards)
                total += r;
            const double inv = 1.0 / static_cast<double>(k - 1);
            const bool agree = all_agree(rewards);
            double b_sum = 0.0;
            for (std::size_t i = 0; i < k; ++i) {
                const double b = (total - rewards[i]) * inv;
                advantages[i] = agree ? 0.0 : rewards[i] - b;
                if (terms) terms->baselines[i] = b;
                b_sum += b;
            }
            return b_sum / static_cast<double>(k);
        }
        case BaselineKind::kGroupNorm: {
            const double m = mean_of(rewards);
            double ss = 0.0;
            for (double r : rewards)
                ss += (r - m) * (r - m);
            const double sd = std::sqrt(ss / static_cast<double>(k));
            // A group whose rewards all agree carries no signal (GRPO's zero-variance group);
            // without the check, its spread of rounding size would give each an advantage of -1.
            const bool agree = all_agree(rewards);
            const double inv = sd > 0.0 && !agree ? 1.0 / sd : 0.0;
            for (std::size_t i = 0; i < k; ++i)
                advantages[i] = (rewards[i] - m) * inv;
            same_baseline(m, sd);
            return m;
        }
        default:
            for (std::size_t i = 0; i < k; ++i)
                advantages[i] = rewards[i] - fixed_baseline;
            same_baseline(fixed_baseline, 1.0);
            return fixed_baseline;
    }
}

bool subtracts_batch_mean(BaselineKind kind) {
    return kind == BaselineKind::kBatchMean || kind == BaselineKind::kRloo ||
           kind == BaselineKind::kGroupNorm;
}

BatchScale batch_scale(BaselineKind kind, int K, double fixed_baseline, double mean, bool agree,
                       double squares) {
    if (!subtracts_batch_mean(kind)) return {1.0, fixed_baseline};
    const double k = K;
    if (agree) return {0.0, mean};
    // A lone sample has no one else to leave out.
    if (kind == BaselineKind::kRloo) return {K < 2 ? 0.0 : k / (k - 1.0), mean};
    if (kind == BaselineKind::kGroupNorm) {
        const double sd = std::sqrt(squares / k);
        return {sd > 0.0 ? 1.0 / sd : 0.0, mean};
    }
    return {1.0, mean};
}

double RunningBaseline::baseline_for_step(RunningMode mode, std::span<const double> rewards) const {
    if (mode == RunningMode::kEma) return value;
    double s = sum, c = count;
    for (double r : rewards)
        s += r;
    c += static_cast<double>(rewards.size());
    return s / c;
}

void RunningBaseline::observe(RunningMode mode, double decay, std::span<const double> rewards) {
    if (mode == RunningMode::kEma) {
        value = decay * value + (1.0 - decay) * mean_of(rewards);
    } else {
        for (double r : rewards)
            sum += r;
        count += static_cast<double>(rewards.size());
        value = sum / count;
    }
}

}  // namespace rl::core
