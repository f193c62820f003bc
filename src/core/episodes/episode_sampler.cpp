#include "core/episodes/episode_sampler.hpp"

#include <algorithm>
#include <cmath>

#include "core/reward_model.hpp"

namespace rl::core {

namespace {

// The first index whose running sum passes u; the last one if rounding leaves u beyond them all.
template <typename Weight>
std::size_t pick(double u, std::size_t count, Weight weight) {
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < count; ++i) {
        sum += weight(i);
        if (u < sum) return i;
    }
    return count - 1;
}

// The credit of decision t from the start (docs/MATH.md 13): R, or sum_{k >= t} gamma^k r_k.
struct Credits {
    std::vector<double> tail;  // tail[t] = sum_{k >= t} gamma^k r_k, tail[L] = 0
    double at(Credit c, std::size_t t) const {
        if (c == Credit::kFullReturn) return tail.front();
        return t + 1 < tail.size() ? tail[t] : 0.0;
    }
};

Credits credits_of(const SampledEpisode& e, double gamma) {
    const std::size_t L = e.steps.size();
    std::vector<double> discount(L, 1.0);
    for (std::size_t k = 1; k < L; ++k)
        discount[k] = discount[k - 1] * gamma;
    Credits c;
    c.tail.assign(L + 1, 0.0);
    for (std::size_t k = L; k-- > 0;)
        c.tail[k] = c.tail[k + 1] + discount[k] * e.steps[k].reward;
    return c;
}

}  // namespace

void sample_episode(const EpisodeModel& model, const EpisodePolicy& policy, const StreamKey& key,
                    std::uint32_t sample, std::vector<EpisodeOutcome>& scratch,
                    SampledEpisode& out) {
    out.steps.clear();
    const auto horizon = static_cast<std::uint32_t>(model.horizon());
    std::uint32_t x = model.start();
    for (std::uint32_t t = 0; t < horizon && !model.terminal(x); ++t) {
        const PhiloxCounter words = draw_pair(key, sample * horizon + t);
        const std::uint32_t b = model.block(static_cast<int>(t), x);
        const std::span<const double> pi = policy.block_probs(b);
        const auto a = static_cast<std::uint32_t>(
            pick(uniform_open(words.v[0]), pi.size(), [&](std::size_t i) { return pi[i]; }));
        model.outcomes(static_cast<int>(t), x, a, scratch);
        const EpisodeOutcome& o = scratch[pick(uniform_open(words.v[1]), scratch.size(),
                                               [&](std::size_t i) { return scratch[i].prob; })];
        double z0 = 0.0, z1 = 0.0;
        standard_normal_pair(words.v[2], words.v[3], z0, z1);
        const double r = draw_reward(make_reward_sampler(o.reward, 0.0), z0, words.v[2]);
        out.steps.push_back({x, b, a, r});
        x = o.next;
    }
}

std::vector<double> episode_credits(const SampledEpisode& episode, Credit credit, double gamma,
                                    std::size_t horizon) {
    const Credits c = credits_of(episode, gamma);
    std::vector<double> w(horizon);
    for (std::size_t t = 0; t < horizon; ++t)
        w[t] = c.at(credit, t);
    return w;
}

std::uint32_t prefix_value_index(const EpisodeModel& model, int t, std::uint32_t x) {
    return static_cast<std::uint32_t>(t) * model.situations() + x;
}

void episode_gradient(const EpisodeModel& model, const EpisodePolicy& policy,
                      const EpisodeEstimator& e, const EpisodeBaselineInputs& inputs,
                      std::span<const SampledEpisode> batch, std::span<double> gradient,
                      std::vector<std::vector<DecisionWeight>>* weights) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    if (weights) weights->assign(batch.size(), {});
    const std::size_t K = batch.size();
    if (K == 0) return;
    const double gamma = model.discount();
    std::vector<Credits> credits;
    credits.reserve(K);
    std::size_t longest = 0;
    for (const SampledEpisode& ep : batch) {
        credits.push_back(credits_of(ep, gamma));
        longest = std::max(longest, ep.steps.size());
    }
    // The batch's sums per position, for the baselines made from the batch, and the spread about
    // their means (summed as deviations, as the bandit's group normalisation does).
    const double n = static_cast<double>(K);
    std::vector<double> sum(longest, 0.0), spread(longest, 0.0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t t = 0; t < longest; ++t)
            sum[t] += credits[k].at(e.credit, t);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t t = 0; t < longest; ++t) {
            const double d = credits[k].at(e.credit, t) - sum[t] / n;
            spread[t] += d * d;
        }
    // A position whose credits all agree has no spread, however their mean rounds.
    for (std::size_t t = 0; t < longest; ++t) {
        const double first = credits[0].at(e.credit, t);
        bool agree = true;
        for (std::size_t k = 1; k < K && agree; ++k)
            agree = credits[k].at(e.credit, t) == first;
        spread[t] = agree ? 0.0 : std::sqrt(spread[t] / n);
    }
    for (std::size_t k = 0; k < K; ++k) {
        const SampledEpisode& ep = batch[k];
        if (weights) (*weights)[k].resize(ep.steps.size());
        double discount = 1.0;
        for (std::size_t t = 0; t < ep.steps.size(); ++t, discount *= gamma) {
            const double w = credits[k].at(e.credit, t);
            double b = 0.0, a = 0.0;
            switch (e.baseline) {
                case BaselineKind::kNone:
                    break;
                case BaselineKind::kBatchMean:
                    b = sum[t] / n;
                    break;
                case BaselineKind::kRloo:
                    b = K < 2 ? w : (sum[t] - w) / (n - 1.0);
                    break;
                case BaselineKind::kGroupNorm:
                    b = sum[t] / n;
                    break;
                case BaselineKind::kPrefixValue:
                case BaselineKind::kLearnedValue: {
                    // The return so far as it came (full return only) plus what the rest is
                    // worth from here.
                    const double before = e.credit == Credit::kFullReturn
                                              ? credits[k].tail[0] - credits[k].tail[t]
                                              : 0.0;
                    const std::uint32_t i =
                        inputs.value_index(model, static_cast<int>(t), ep.steps[t].situation);
                    b = before + discount * inputs.values[i];
                    break;
                }
                default:
                    b = t < inputs.per_position.size() ? inputs.per_position[t] : 0.0;
                    break;
            }
            a = w - b;
            if (e.baseline == BaselineKind::kGroupNorm) {
                // A position where the batch's credits all agree carries no signal.
                a = spread[t] > 0.0 ? a / spread[t] : 0.0;
            }
            if (weights) (*weights)[k][t] = {w, b, a};
            add_score(policy, ep.steps[t].block, ep.steps[t].action, a / n, gradient);
        }
    }
}

}  // namespace rl::core
