#pragma once

// A brute-force oracle for the episode estimators (docs/MATH.md 13): it enumerates every
// trajectory with every Bernoulli reward outcome, then every K-tuple of them, and builds each
// estimate from dense score vectors and the baselines' definitions, independently of
// src/core/episodes' moment formulas.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/episodes/episode_estimator.hpp"
#include "core/episodes/episode_model.hpp"
#include "core/episodes/episode_table.hpp"
#include "core/episodes/token_sequence.hpp"

namespace rl_test {

using rl::core::BaselineKind;
using rl::core::Credit;
using rl::core::EpisodeModel;
using rl::core::EpisodePolicy;
using rl::core::RewardKind;
using rl::core::RewardModel;

inline RewardModel fixed(double v) {
    RewardModel m;
    m.value = v;
    return m;
}

inline RewardModel bernoulli(double p, double lo, double hi) {
    RewardModel m;
    m.kind = RewardKind::kBernoulli;
    m.p = p;
    m.lo = lo;
    m.hi = hi;
    return m;
}

struct Step {
    std::uint32_t situation, block, action;
    double reward;
};

struct Trajectory {
    double prob = 1.0;
    std::vector<Step> steps;
};

// Every trajectory, each Bernoulli reward branching into its two values.
inline void enumerate(const EpisodeModel& model, const EpisodePolicy& policy, int t,
                      std::uint32_t x, Trajectory path, std::vector<Trajectory>& out) {
    if (t == model.horizon() || model.terminal(x)) {
        out.push_back(path);
        return;
    }
    const std::uint32_t b = model.block(t, x);
    std::vector<rl::core::EpisodeOutcome> outcomes;
    for (std::uint32_t a = 0; a < model.actions(); ++a) {
        const double pa = policy.probs[b * policy.actions + a];
        model.outcomes(t, x, a, outcomes);
        for (const rl::core::EpisodeOutcome& o : outcomes) {
            std::vector<std::pair<double, double>> rewards;  // (probability, value)
            if (o.reward.kind == RewardKind::kBernoulli) {
                rewards = {{o.reward.p, o.reward.hi}, {1.0 - o.reward.p, o.reward.lo}};
            } else {
                REQUIRE(o.reward.kind == RewardKind::kFixed);
                rewards = {{1.0, o.reward.value}};
            }
            for (const auto& [pr, value] : rewards) {
                Trajectory next = path;
                next.prob *= pa * o.prob * pr;
                next.steps.push_back({x, b, a, value});
                enumerate(model, policy, t + 1, o.next, next, out);
            }
        }
    }
}

// The score of one decision as a dense vector: e_a - pi in its block's free components.
inline std::vector<double> score(const EpisodePolicy& policy, const Step& s) {
    std::vector<double> v(policy.logits.size(), 0.0);
    const std::size_t dim = policy.dim();
    for (std::size_t i = 0; i < dim; ++i)
        v[s.block * policy.actions + i] =
            (i == s.action ? 1.0 : 0.0) - policy.probs[s.block * policy.actions + i];
    return v;
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

struct EpisodeOracle {
    const EpisodeModel& model;
    const EpisodePolicy& policy;
    std::vector<Trajectory> leaves;
    int T;
    double gamma;
    std::vector<std::vector<std::vector<double>>> scores;  // per leaf, per step
    std::vector<std::vector<double>> reward_to_go;         // per leaf: sum_{k>=t} gamma^k r_k
    std::vector<double> prefix_value;                      // per (t, situation): E[G_t | x]

    EpisodeOracle(const EpisodeModel& m, const EpisodePolicy& p)
        : model(m), policy(p), T(m.horizon()), gamma(m.discount()) {
        enumerate(m, p, 0, m.start(), {}, leaves);
        for (const Trajectory& tr : leaves) {
            std::vector<std::vector<double>> s;
            std::vector<double> tail(tr.steps.size() + 1, 0.0);
            for (std::size_t k = tr.steps.size(); k-- > 0;)
                tail[k] =
                    tail[k + 1] + std::pow(gamma, static_cast<double>(k)) * tr.steps[k].reward;
            for (const Step& st : tr.steps)
                s.push_back(score(p, st));
            scores.push_back(s);
            reward_to_go.push_back(tail);
        }
        // E[G_t | x at t] by conditioning the leaves.
        const std::size_t S = m.situations();
        std::vector<double> mass(static_cast<std::size_t>(T) * S, 0.0);
        prefix_value.assign(static_cast<std::size_t>(T) * S, 0.0);
        for (std::size_t l = 0; l < leaves.size(); ++l)
            for (std::size_t t = 0; t < leaves[l].steps.size(); ++t) {
                const std::size_t i = t * S + leaves[l].steps[t].situation;
                mass[i] += leaves[l].prob;
                prefix_value[i] +=
                    leaves[l].prob * reward_to_go[l][t] / std::pow(gamma, static_cast<double>(t));
            }
        for (std::size_t i = 0; i < mass.size(); ++i)
            if (mass[i] > 0.0) prefix_value[i] /= mass[i];
    }

    double credit(std::size_t leaf, std::size_t t, Credit c) const {
        if (c == Credit::kFullReturn) return reward_to_go[leaf][0];
        return t < leaves[leaf].steps.size() ? reward_to_go[leaf][t] : 0.0;
    }

    // The fixed per-position baselines, computed from the leaves as their definitions say.
    std::vector<double> baselines(const rl::core::EpisodeEstimator& e) const {
        std::vector<double> b(static_cast<std::size_t>(T), 0.0);
        for (std::size_t t = 0; t < b.size(); ++t) {
            double reach = 0.0, w = 0.0, p = 0.0, c = 0.0;
            for (std::size_t l = 0; l < leaves.size(); ++l) {
                if (t >= leaves[l].steps.size()) continue;
                const double P = leaves[l].prob;
                reach += P;
                w += P * credit(l, t, e.credit);
                c += P * dot(scores[l][t], scores[l][t]);
                for (std::size_t s = 0; s < leaves[l].steps.size(); ++s)
                    p += P * credit(l, s, e.credit) * dot(scores[l][s], scores[l][t]);
            }
            const double units =
                e.credit == Credit::kFullReturn ? 1.0 : std::pow(gamma, static_cast<double>(t));
            switch (e.baseline) {
                case BaselineKind::kConstant:
                    b[t] = units * e.constant_b;
                    break;
                case BaselineKind::kExpected:
                    b[t] = e.credit == Credit::kFullReturn ? reward_to_go_mean() : w / reach;
                    break;
                case BaselineKind::kOptimal:
                    b[t] = c > 0.0 ? p / c : 0.0;
                    break;
                default:
                    break;
            }
        }
        return b;
    }

    double reward_to_go_mean() const {
        double J = 0.0;
        for (std::size_t l = 0; l < leaves.size(); ++l)
            J += leaves[l].prob * reward_to_go[l][0];
        return J;
    }

    // The K-sample estimate for one tuple of leaves.
    std::vector<double> estimate(const std::vector<std::size_t>& tuple,
                                 const rl::core::EpisodeEstimator& e,
                                 const std::vector<double>& fixed_b) const {
        std::vector<double> g(policy.logits.size(), 0.0);
        const double K = static_cast<double>(tuple.size());
        for (std::size_t k = 0; k < tuple.size(); ++k) {
            const std::size_t l = tuple[k];
            for (std::size_t t = 0; t < leaves[l].steps.size(); ++t) {
                const double W = credit(l, t, e.credit);
                double b = fixed_b[t];
                if (e.baseline == BaselineKind::kGroupNorm) {
                    double mean = 0.0, ss = 0.0;
                    for (const std::size_t j : tuple)
                        mean += credit(j, t, e.credit) / K;
                    for (const std::size_t j : tuple)
                        ss += (credit(j, t, e.credit) - mean) * (credit(j, t, e.credit) - mean);
                    bool agree = true;
                    for (const std::size_t j : tuple)
                        agree = agree && credit(j, t, e.credit) == W;
                    const double sd = agree ? 0.0 : std::sqrt(ss / K);
                    const double a = sd > 0.0 ? (W - mean) / sd : 0.0;
                    for (std::size_t i = 0; i < g.size(); ++i)
                        g[i] += a * scores[l][t][i] / K;
                    continue;
                }
                if (e.baseline == BaselineKind::kRloo || e.baseline == BaselineKind::kBatchMean) {
                    double sum = 0.0;
                    for (std::size_t j = 0; j < tuple.size(); ++j)
                        if (j != k || e.baseline == BaselineKind::kBatchMean)
                            sum += credit(tuple[j], t, e.credit);
                    if (e.baseline == BaselineKind::kRloo)
                        b = K < 2 ? W : sum / (K - 1.0);  // one sample has no other: A = 0
                    else
                        b = sum / K;
                } else if (e.baseline == BaselineKind::kPrefixValue) {
                    // The return so far as it came, plus what the rest is worth from here.
                    const std::size_t S = model.situations();
                    const double gt = std::pow(gamma, static_cast<double>(t));
                    const double before = e.credit == Credit::kFullReturn
                                              ? reward_to_go[l][0] - reward_to_go[l][t]
                                              : 0.0;
                    b = before + gt * prefix_value[t * S + leaves[l].steps[t].situation];
                }
                for (std::size_t i = 0; i < g.size(); ++i)
                    g[i] += (W - b) * scores[l][t][i] / K;
            }
        }
        return g;
    }

    // Every K-tuple's estimate with its probability.
    struct Outcome {
        double prob;
        std::vector<double> g;
    };
    std::vector<Outcome> distribution(const rl::core::EpisodeEstimator& e) const {
        const std::vector<double> fixed_b = baselines(e);
        std::vector<Outcome> out;
        std::vector<std::size_t> tuple(static_cast<std::size_t>(e.K), 0);
        std::function<void(std::size_t, double)> walk = [&](std::size_t k, double prob) {
            if (k == tuple.size()) {
                out.push_back({prob, estimate(tuple, e, fixed_b)});
                return;
            }
            for (std::size_t l = 0; l < leaves.size(); ++l) {
                tuple[k] = l;
                walk(k + 1, prob * leaves[l].prob);
            }
        };
        walk(0, 1.0);
        return out;
    }

    // Mean and covariance trace over every K-tuple.
    std::pair<std::vector<double>, double> moments(const rl::core::EpisodeEstimator& e) const {
        const std::vector<double> fixed_b = baselines(e);
        std::vector<double> mean(policy.logits.size(), 0.0);
        double second = 0.0;
        std::vector<std::size_t> tuple(static_cast<std::size_t>(e.K), 0);
        std::function<void(std::size_t, double)> walk = [&](std::size_t k, double prob) {
            if (k == tuple.size()) {
                const std::vector<double> g = estimate(tuple, e, fixed_b);
                for (std::size_t i = 0; i < g.size(); ++i)
                    mean[i] += prob * g[i];
                second += prob * dot(g, g);
                return;
            }
            for (std::size_t l = 0; l < leaves.size(); ++l) {
                tuple[k] = l;
                walk(k + 1, prob * leaves[l].prob);
            }
        };
        walk(0, 1.0);
        return {mean, second - dot(mean, mean)};
    }
};

// A policy with every logit different, pinned ones at 0.
inline EpisodePolicy random_policy(rl::core::Parameterization param, std::size_t actions,
                                   std::size_t blocks, unsigned seed) {
    std::vector<double> logits(actions * blocks);
    for (std::size_t i = 0; i < logits.size(); ++i)
        logits[i] = std::sin(1.7 * static_cast<double>(i + 1) + seed);
    if (param == rl::core::Parameterization::kPinnedLast)
        for (std::size_t b = 0; b < blocks; ++b)
            logits[b * actions + actions - 1] = 0.0;
    return rl::core::make_episode_policy(param, actions, logits);
}

// Two tokens, a noisy good one and a fixed bad one, discounted.
inline rl::core::TokenSequenceSpec small_tokens(rl::core::TokenPolicyForm form, int length) {
    rl::core::TokenSequenceSpec spec;
    spec.tokens = {"good", "bad"};
    spec.length = length;
    spec.form = form;
    spec.token_rewards = {bernoulli(0.7, 0.0, 1.0), fixed(-0.5)};
    spec.discount = 0.9;
    return spec;
}

// Two states and an end: random moves, a noisy reward, an early end and a step cap.
inline rl::core::EpisodeTableSpec small_table() {
    rl::core::EpisodeTableSpec spec;
    spec.states = {"s0", "s1", "end"};
    spec.actions = {"stay", "go"};
    spec.transitions = {{0, 0, 0, 0.6, fixed(0.5)},
                        {0, 0, 1, 0.4, fixed(0.0)},
                        {0, 1, 1, 1.0, bernoulli(0.3, -1.0, 2.0)},
                        {1, 0, 0, 1.0, fixed(1.0)},
                        {1, 1, 2, 0.5, fixed(3.0)},
                        {1, 1, 1, 0.5, fixed(-0.25)}};
    spec.terminal = {2};
    spec.discount = 0.8;
    spec.step_cap = 3;
    return spec;
}

}  // namespace rl_test
