#include "core/episodes/episode_model.hpp"

namespace rl::core {

void EpisodePolicy::refresh() {
    probs.resize(logits.size());
    for (std::size_t b = 0; b < blocks(); ++b) {
        const std::span<const double> in{logits.data() + b * actions, actions};
        softmax(in, std::span<double>{probs.data() + b * actions, actions});
    }
}

EpisodePolicy make_episode_policy(Parameterization param, std::size_t actions,
                                  std::vector<double> logits) {
    EpisodePolicy policy;
    policy.param = param;
    policy.actions = actions;
    policy.logits = std::move(logits);
    policy.refresh();
    return policy;
}

double score_dot(const EpisodePolicy& policy, std::uint32_t block_a, std::uint32_t action_a,
                 std::uint32_t block_b, std::uint32_t action_b) {
    if (block_a != block_b) return 0.0;
    const std::span<const double> pi = policy.block_probs(block_a);
    const std::size_t dim = policy.dim();
    double norm2 = 0.0;
    for (std::size_t i = 0; i < dim; ++i)
        norm2 += pi[i] * pi[i];
    const double same = action_a == action_b && action_a < dim ? 1.0 : 0.0;
    const double pa = action_a < dim ? pi[action_a] : 0.0;
    const double pb = action_b < dim ? pi[action_b] : 0.0;
    return same - pa - pb + norm2;
}

void add_score(const EpisodePolicy& policy, std::uint32_t block, std::uint32_t action,
               double weight, std::span<double> out) {
    const std::span<const double> pi = policy.block_probs(block);
    double* row = out.data() + static_cast<std::size_t>(block) * policy.actions;
    const std::size_t dim = policy.dim();
    for (std::size_t i = 0; i < dim; ++i)
        row[i] -= weight * pi[i];
    if (action < dim) row[action] += weight;
}

RewardModel shifted_reward(RewardModel model, double shift) {
    model.value += shift;
    model.mean += shift;
    model.lo += shift;
    model.hi += shift;
    return model;
}

}  // namespace rl::core
