#include "core/episodes/episode_values.hpp"

#include <algorithm>
#include <cmath>

namespace rl::core {

double action_value(const EpisodeModel& model, const EpisodeValues& v, int t, std::uint32_t x,
                    std::uint32_t a, std::vector<EpisodeOutcome>& scratch) {
    model.outcomes(t, x, a, scratch);
    double q = 0.0;
    for (const EpisodeOutcome& o : scratch)
        q += o.prob * (o.reward.expected() + model.discount() * v.value_at(t + 1, o.next));
    return q;
}

EpisodeValues episode_values(const EpisodeModel& model, const EpisodePolicy& policy) {
    EpisodeValues v;
    v.horizon = model.horizon();
    v.situations = model.situations();
    const auto T = static_cast<std::size_t>(v.horizon);
    const std::size_t S = v.situations;
    const std::size_t A = model.actions();
    const double gamma = model.discount();
    v.value.assign((T + 1) * S, 0.0);
    v.occupancy.assign(T * S, 0.0);
    v.gradient.assign(policy.logits.size(), 0.0);

    std::vector<double> paths_next(S, 1.0), paths(S, 1.0);
    std::vector<EpisodeOutcome> outcomes;
    for (int t = v.horizon - 1; t >= 0; --t) {
        for (std::uint32_t x = 0; x < S; ++x) {
            if (model.terminal(x)) {
                paths[x] = 1.0;
                continue;
            }
            const std::span<const double> pi = policy.block_probs(model.block(t, x));
            double value = 0.0, count = 0.0;
            for (std::uint32_t a = 0; a < A; ++a) {
                value += pi[a] * action_value(model, v, t, x, a, outcomes);
                if (pi[a] > 0.0)
                    for (const EpisodeOutcome& o : outcomes)
                        if (o.prob > 0.0) count += paths_next[o.next];
            }
            v.value[static_cast<std::size_t>(t) * S + x] = value;
            paths[x] = std::min(count, 1e300);
        }
        std::swap(paths, paths_next);
    }
    v.trajectories = paths_next[model.start()];

    if (T == 0 || model.terminal(model.start())) return v;
    v.occupancy[model.start()] = 1.0;
    // The policy gradient theorem over the finite horizon: grad J = sum_t gamma^t
    // E[(Q_t - V_t) psi_t], with d_t giving where decision t is made.
    double discount_t = 1.0;
    for (std::size_t t = 0; t < T; ++t, discount_t *= gamma) {
        for (std::uint32_t x = 0; x < S; ++x) {
            const double d = v.occupancy[t * S + x];
            if (d == 0.0) continue;
            const std::uint32_t b = model.block(static_cast<int>(t), x);
            const std::span<const double> pi = policy.block_probs(b);
            const double vx = v.value[t * S + x];
            for (std::uint32_t a = 0; a < A; ++a) {
                const double q = action_value(model, v, static_cast<int>(t), x, a, outcomes);
                add_score(policy, b, a, d * pi[a] * discount_t * (q - vx), v.gradient);
                if (t + 1 == T) continue;
                for (const EpisodeOutcome& o : outcomes)
                    if (!model.terminal(o.next))
                        v.occupancy[(t + 1) * S + o.next] += d * pi[a] * o.prob;
            }
        }
    }
    v.J = v.value_at(0, model.start());
    return v;
}

}  // namespace rl::core
