#include "core/episodes/episode_objective.hpp"

#include <algorithm>
#include <cmath>

#include "core/episodes/episode_values.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/update_step.hpp"

namespace rl::core {

ReshapedEpisodeModel::ReshapedEpisodeModel(const EpisodeModel& base, std::vector<double> added,
                                           bool keep_rewards)
    : base_(base), added_(std::move(added)), keep_rewards_(keep_rewards) {}

void ReshapedEpisodeModel::outcomes(int t, std::uint32_t x, std::uint32_t a,
                                    std::vector<EpisodeOutcome>& out) const {
    base_.outcomes(t, x, a, out);
    const double add = added_[static_cast<std::size_t>(base_.block(t, x)) * base_.actions() + a];
    RewardModel only_added;
    only_added.value = add;
    for (EpisodeOutcome& o : out)
        o.reward = keep_rewards_ ? shifted_reward(o.reward, add) : only_added;
}

std::vector<double> episode_log_probs(const EpisodePolicy& policy) {
    std::vector<double> probs(policy.actions), out(policy.logits.size());
    const std::size_t A = policy.actions;
    for (std::size_t b = 0; b < policy.blocks(); ++b)
        softmax(std::span<const double>{policy.logits.data() + b * A, A}, probs,
                std::span<double>{out.data() + b * A, A});
    return out;
}

namespace {

// One block's KL to the reference and entropy, and their gradients (section 11, per block).
struct BlockTerms {
    std::vector<double> kl, entropy;            // per block
    std::vector<double> kl_grad, entropy_grad;  // blocks x actions, 0 past the free components
    std::vector<double> log_ratio;              // blocks x actions
};

BlockTerms block_terms(const EpisodePolicy& policy, std::span<const double> reference_log_probs) {
    BlockTerms terms;
    const std::size_t A = policy.actions, B = policy.blocks(), dim = policy.dim();
    const std::vector<double> log_pi = episode_log_probs(policy);
    terms.kl.assign(B, 0.0);
    terms.entropy.assign(B, 0.0);
    terms.kl_grad.assign(B * A, 0.0);
    terms.entropy_grad.assign(B * A, 0.0);
    terms.log_ratio.assign(B * A, 0.0);
    for (std::size_t b = 0; b < B; ++b) {
        const std::span<const double> pi = policy.block_probs(b);
        for (std::size_t a = 0; a < A; ++a) {
            const std::size_t i = b * A + a;
            terms.log_ratio[i] = log_pi[i] - reference_log_probs[i];
            // 0 log 0 = 0: a probability that rounded to 0 adds nothing.
            if (pi[a] > 0.0) {
                terms.kl[b] += pi[a] * terms.log_ratio[i];
                terms.entropy[b] -= pi[a] * log_pi[i];
            }
        }
        for (std::size_t a = 0; a < dim; ++a) {
            const std::size_t i = b * A + a;
            terms.kl_grad[i] = pi[a] * (terms.log_ratio[i] - terms.kl[b]);
            terms.entropy_grad[i] = -pi[a] * (log_pi[i] + terms.entropy[b]);
        }
    }
    return terms;
}

struct Weights {
    double kl = 0.0, entropy = 0.0;  // what the sample-free term carries
    bool any() const { return kl != 0.0 || entropy != 0.0; }
};

// The problem paying f_b = c_H H_b - beta KL_b at every decision and nothing else.
ReshapedEpisodeModel term_model(const EpisodeModel& base, const EpisodePolicy& policy,
                                const BlockTerms& terms, Weights w) {
    std::vector<double> added(terms.kl_grad.size());
    for (std::size_t i = 0; i < added.size(); ++i) {
        const std::size_t b = i / policy.actions;
        added[i] = w.entropy * terms.entropy[b] - w.kl * terms.kl[b];
    }
    return ReshapedEpisodeModel(base, std::move(added), false);
}

// grad E[sum_t gamma^t f(block_t)]: the policy gradient of f as a reward (where the episode goes)
// plus sum_t gamma^t E[grad f(block_t)] (what each visited block's own terms do).
std::vector<double> term_gradient(const EpisodeModel& base, const EpisodePolicy& policy,
                                  const BlockTerms& terms, Weights w) {
    const ReshapedEpisodeModel paying = term_model(base, policy, terms, w);
    const EpisodeValues v = episode_values(paying, policy);
    std::vector<double> d = v.gradient;
    const std::size_t A = policy.actions;
    double discount = 1.0;
    for (int t = 0; t < base.horizon(); ++t, discount *= base.discount()) {
        for (std::uint32_t x = 0; x < v.situations; ++x) {
            const double reach = v.occupancy_at(t, x);
            if (reach == 0.0 || base.terminal(x)) continue;
            const std::size_t b = base.block(t, x);
            for (std::size_t a = 0; a < A; ++a)
                d[b * A + a] +=
                    discount * reach *
                    (w.entropy * terms.entropy_grad[b * A + a] - w.kl * terms.kl_grad[b * A + a]);
        }
    }
    return d;
}

}  // namespace

EpisodeObjective episode_objective(const EpisodeModel& base, const EpisodePolicy& policy,
                                   std::span<const double> reference_log_probs,
                                   const EstimatorSettings& s) {
    EpisodeObjective out;
    out.model = &base;
    out.clip = s.clip;
    const double beta = s.kl_beta;
    if (beta <= 0.0 && s.entropy <= 0.0) return out;
    const BlockTerms terms = block_terms(policy, reference_log_probs);
    const bool folded = beta > 0.0 && s.kl_mode == KlMode::kReward;
    if (folded) {
        std::vector<double> added(terms.log_ratio.size());
        for (std::size_t i = 0; i < added.size(); ++i)
            added[i] = -beta * terms.log_ratio[i];
        out.shaped = std::make_unique<ReshapedEpisodeModel>(base, std::move(added), true);
        out.model = out.shaped.get();
    }
    const Weights w{folded ? 0.0 : std::max(beta, 0.0), std::max(s.entropy, 0.0)};
    if (w.any()) out.deterministic = term_gradient(base, policy, terms, w);
    return out;
}

double finish_episode_estimate(const EpisodeObjective& objective, std::span<double> gradient) {
    for (std::size_t i = 0; i < objective.deterministic.size(); ++i)
        gradient[i] += objective.deterministic[i];
    if (objective.clip <= 0.0) return 1.0;
    double norm2 = 0.0;
    for (const double g : gradient)
        norm2 += g * g;
    return clip_to_norm(gradient, std::sqrt(norm2), objective.clip);
}

EpisodeExact with_objective(EpisodeExact exact, const EpisodeObjective& objective) {
    const std::vector<double>& d = objective.deterministic;
    for (std::size_t i = 0; i < d.size() && i < exact.gradient.size(); ++i)
        exact.gradient[i] += d[i];
    if (!exact.exact) return exact;
    if (objective.clip > 0.0) {
        exact.exact = false;
        exact.reason = kClipNoClosedForm;
        exact.mean.clear();
        return exact;
    }
    // d is the same for every batch: it moves the mean and leaves the covariance.
    for (std::size_t i = 0; i < d.size() && i < exact.mean.size(); ++i)
        exact.mean[i] += d[i];
    double norm2 = 0.0;
    for (const double m : exact.mean)
        norm2 += m * m;
    exact.snr = signal_to_noise(std::sqrt(norm2), exact.trace_cov);
    exact.snr_reason = snr_undefined_reason(std::sqrt(norm2), exact.trace_cov);
    return exact;
}

double episode_objective_value(const EpisodeModel& model, const EpisodePolicy& policy,
                               std::span<const double> reference_log_probs,
                               const EstimatorSettings& s) {
    const double raw = episode_values(model, policy).J;
    const Weights w{std::max(s.kl_beta, 0.0), std::max(s.entropy, 0.0)};
    if (!w.any()) return raw;
    const BlockTerms terms = block_terms(policy, reference_log_probs);
    return raw + episode_values(term_model(model, policy, terms, w), policy).J;
}

}  // namespace rl::core
