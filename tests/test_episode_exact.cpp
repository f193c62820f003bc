// The episode estimators' exact moments (src/core/episodes, docs/MATH.md section 13) against a
// brute-force oracle written here: it enumerates every trajectory with every Bernoulli reward
// outcome, then every K-tuple of them, builds each estimate from dense score vectors, and
// averages. Also: one token is the bandit, and the short corridor's value and gradient.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/episodes/episode_exact.hpp"
#include "core/episodes/episode_table.hpp"
#include "core/episodes/token_sequence.hpp"
#include "core/exact.hpp"
#include "core/policy.hpp"
#include "core/policy_point.hpp"

namespace {

using rl::core::BaselineKind;
using rl::core::Credit;
using rl::core::EpisodeModel;
using rl::core::EpisodePolicy;
using rl::core::Parameterization;
using rl::core::RewardKind;
using rl::core::RewardModel;

constexpr double kTolerance = 1e-10;

bool close(double a, double b) {
    return std::abs(a - b) <= kTolerance * (1.0 + std::abs(b));
}

RewardModel fixed(double v) {
    RewardModel m;
    m.value = v;
    return m;
}

RewardModel bernoulli(double p, double lo, double hi) {
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
void enumerate(const EpisodeModel& model, const EpisodePolicy& policy, int t, std::uint32_t x,
               Trajectory path, std::vector<Trajectory>& out) {
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
std::vector<double> score(const EpisodePolicy& policy, const Step& s) {
    std::vector<double> v(policy.logits.size(), 0.0);
    const std::size_t dim = policy.dim();
    for (std::size_t i = 0; i < dim; ++i)
        v[s.block * policy.actions + i] =
            (i == s.action ? 1.0 : 0.0) - policy.probs[s.block * policy.actions + i];
    return v;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] * b[i];
    return s;
}

struct Oracle {
    const EpisodeModel& model;
    const EpisodePolicy& policy;
    std::vector<Trajectory> leaves;
    int T;
    double gamma;
    std::vector<std::vector<std::vector<double>>> scores;  // per leaf, per step
    std::vector<std::vector<double>> reward_to_go;         // per leaf: sum_{k>=t} gamma^k r_k
    std::vector<double> prefix_value;                      // per (t, situation): E[G_t | x]

    Oracle(const EpisodeModel& m, const EpisodePolicy& p)
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
                if (e.baseline == BaselineKind::kRloo || e.baseline == BaselineKind::kBatchMean) {
                    double sum = 0.0;
                    for (std::size_t j = 0; j < tuple.size(); ++j)
                        if (j != k || e.baseline == BaselineKind::kBatchMean)
                            sum += credit(tuple[j], t, e.credit);
                    b = sum / (e.baseline == BaselineKind::kRloo ? K - 1.0 : K);
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

const BaselineKind kExactKinds[] = {BaselineKind::kNone,       BaselineKind::kConstant,
                                    BaselineKind::kExpected,   BaselineKind::kOptimal,
                                    BaselineKind::kRloo,       BaselineKind::kBatchMean,
                                    BaselineKind::kPrefixValue};

void check_against_oracle(const EpisodeModel& model, const EpisodePolicy& policy, int max_K) {
    const Oracle oracle(model, policy);
    const rl::core::EpisodeValues values = rl::core::episode_values(model, policy);
    CHECK(close(values.J, oracle.reward_to_go_mean()));
    for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
        for (const BaselineKind kind : kExactKinds) {
            for (int K = 1; K <= max_K; ++K) {
                if (kind == BaselineKind::kRloo && K < 2) continue;
                rl::core::EpisodeEstimator e;
                e.credit = credit;
                e.baseline = kind;
                e.constant_b = 1.25;
                e.K = K;
                INFO("credit " << static_cast<int>(credit) << ", baseline "
                               << static_cast<int>(kind) << ", K " << K);
                const rl::core::EpisodeExact exact = rl::core::episode_exact(model, policy, e);
                REQUIRE(exact.exact);
                const auto [mean, trace] = oracle.moments(e);
                REQUIRE(exact.mean.size() == mean.size());
                for (std::size_t i = 0; i < mean.size(); ++i) {
                    CHECK(close(exact.mean[i], mean[i]));
                    // Every unbiased estimator's mean is grad J; the batch mean's is (1 - 1/K)
                    // of it.
                    const double shrink = kind == BaselineKind::kBatchMean ? (K - 1.0) / K : 1.0;
                    CHECK(close(mean[i], shrink * values.gradient[i]));
                }
                CHECK(close(exact.trace_cov, trace));
            }
        }
    }
}

EpisodePolicy random_policy(Parameterization param, std::size_t actions, std::size_t blocks,
                            unsigned seed) {
    std::vector<double> logits(actions * blocks);
    for (std::size_t i = 0; i < logits.size(); ++i)
        logits[i] = std::sin(1.7 * static_cast<double>(i + 1) + seed);
    if (param == Parameterization::kPinnedLast)
        for (std::size_t b = 0; b < blocks; ++b)
            logits[b * actions + actions - 1] = 0.0;
    return rl::core::make_episode_policy(param, actions, logits);
}

rl::core::TokenSequenceSpec small_tokens(rl::core::TokenPolicyForm form, int length) {
    rl::core::TokenSequenceSpec spec;
    spec.tokens = {"good", "bad"};
    spec.length = length;
    spec.form = form;
    spec.token_rewards = {bernoulli(0.7, 0.0, 1.0), fixed(-0.5)};
    spec.discount = 0.9;
    return spec;
}

}  // namespace

TEST_CASE("episode exact: token sequences match brute force over every K-tuple, every form") {
    for (const auto form :
         {rl::core::TokenPolicyForm::kPerPosition, rl::core::TokenPolicyForm::kPreviousToken,
          rl::core::TokenPolicyForm::kShared}) {
        for (const Parameterization param :
             {Parameterization::kFree, Parameterization::kPinnedLast}) {
            INFO("form " << static_cast<int>(form) << ", param " << static_cast<int>(param));
            const rl::core::TokenSequenceModel two(small_tokens(form, 2));
            check_against_oracle(two, random_policy(param, 2, two.blocks(), 3), 3);
            const rl::core::TokenSequenceModel three(small_tokens(form, 3));
            check_against_oracle(three, random_policy(param, 2, three.blocks(), 5), 2);
        }
    }
}

TEST_CASE("episode exact: outcome rules pay at the end and match brute force") {
    for (const auto rule : {rl::core::OutcomeRule::kAllMarked, rl::core::OutcomeRule::kAtLeast,
                            rl::core::OutcomeRule::kContains, rl::core::OutcomeRule::kAvoids}) {
        INFO("rule " << static_cast<int>(rule));
        rl::core::TokenSequenceSpec spec;
        spec.tokens = {"a", "b", "c"};
        spec.length = 3;
        spec.token_rewards = {fixed(0.0), fixed(0.1), fixed(0.0)};
        spec.outcome = rule;
        spec.marked = {0};
        spec.outcome_count = 2;
        spec.outcome_reward = 2.0;
        spec.outcome_else = -1.0;
        const rl::core::TokenSequenceModel model(spec);
        const EpisodePolicy policy = random_policy(Parameterization::kFree, 3, model.blocks(), 7);
        check_against_oracle(model, policy, 2);
        // The rule itself, on the sequence a a b: all-marked fails, at-least-2 and contains
        // hold, avoids fails.
        std::uint32_t x = model.start();
        std::vector<rl::core::EpisodeOutcome> o;
        for (const std::uint32_t token : {0u, 0u, 1u}) {
            model.outcomes(0, x, token, o);
            x = o.front().next;
        }
        const bool holds =
            rule == rl::core::OutcomeRule::kAtLeast || rule == rl::core::OutcomeRule::kContains;
        CHECK(model.outcome_holds(x) == holds);
    }
}

TEST_CASE("episode exact: a table with random moves and an early end matches brute force") {
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
    const rl::core::EpisodeTableModel per_state(spec);
    check_against_oracle(per_state, random_policy(Parameterization::kFree, 2, 3, 11), 2);
    spec.state_block = {0, 0, 0};  // the learner cannot tell s0 from s1
    const rl::core::EpisodeTableModel aliased(spec);
    check_against_oracle(aliased, random_policy(Parameterization::kPinnedLast, 2, 1, 13), 2);
}

TEST_CASE("episode exact: one token is the bandit, to the last digit") {
    const std::vector<RewardModel> rewards = {fixed(8.0), bernoulli(0.4, 1.0, 5.0), fixed(5.0)};
    for (const Parameterization param : {Parameterization::kFree, Parameterization::kPinnedLast}) {
        rl::core::TokenSequenceSpec spec;
        spec.tokens = {"yes", "no", "maybe"};
        spec.length = 1;
        spec.token_rewards = rewards;
        const rl::core::TokenSequenceModel model(spec);
        const std::vector<double> logits =
            rl::core::logits_from_probabilities(std::vector<double>{0.3, 0.5, 0.2}, param);
        const EpisodePolicy policy = rl::core::make_episode_policy(param, 3, logits);
        std::vector<double> rbar, var;
        for (const RewardModel& r : rewards) {
            rbar.push_back(r.expected());
            var.push_back(r.variance());
        }
        for (const Credit credit : {Credit::kFullReturn, Credit::kRewardToGo}) {
            for (const BaselineKind kind : kExactKinds) {
                if (kind == BaselineKind::kPrefixValue) continue;  // no bandit counterpart
                for (int K = 1; K <= 5; ++K) {
                    if (kind == BaselineKind::kRloo && K < 2) continue;
                    INFO("param " << static_cast<int>(param) << ", baseline "
                                  << static_cast<int>(kind) << ", K " << K);
                    rl::core::EstimatorSettings s;
                    s.baseline = kind;
                    s.constant_b = 4.5;
                    s.K = K;
                    const rl::core::PolicyPoint pt =
                        rl::core::make_policy_point(logits, param, rbar, var, {}, s);
                    const rl::core::ExactEstimate bandit = rl::core::exact_estimate(pt, s, K);
                    rl::core::EpisodeEstimator e;
                    e.credit = credit;
                    e.baseline = kind;
                    e.constant_b = 4.5;
                    e.K = K;
                    const rl::core::EpisodeExact episode =
                        rl::core::episode_exact(model, policy, e);
                    REQUIRE(bandit.closed_form);
                    REQUIRE(episode.exact);
                    CHECK(close(episode.J, pt.J));
                    CHECK(close(episode.trace_cov, bandit.trace_cov));
                    for (std::size_t i = 0; i < 3; ++i)
                        CHECK(close(episode.mean[i], bandit.mean[i]));
                }
            }
        }
    }
}

TEST_CASE("episode exact: the short corridor's value and gradient are Sutton and Barto's") {
    // Right with probability p: J(p) = (2p - 4) / (p (1 - p)), the best p = 2 - sqrt 2 with
    // J about -11.6 (docs/MATH.md 13.5). Pinned logits: p(left) = sigmoid(theta).
    const rl::core::EpisodeTableModel corridor(rl::core::short_corridor(4000));
    for (const double p : {0.2, 0.5, 2.0 - std::sqrt(2.0), 0.8}) {
        INFO("p(right) = " << p);
        const double theta = std::log((1.0 - p) / p);
        const EpisodePolicy policy =
            rl::core::make_episode_policy(Parameterization::kPinnedLast, 2, {theta, 0.0});
        const rl::core::EpisodeValues v = rl::core::episode_values(corridor, policy);
        const double J = (2.0 * p - 4.0) / (p * (1.0 - p));
        CHECK(std::abs(v.J - J) < 1e-9);
        // dJ/dtheta = dJ/dp dp/dtheta, dp/dtheta = -p (1 - p).
        const double dJdp = (2.0 * p * (1.0 - p) - (2.0 * p - 4.0) * (1.0 - 2.0 * p)) /
                            (p * p * (1.0 - p) * (1.0 - p));
        CHECK(std::abs(v.gradient[0] - dJdp * (-p * (1.0 - p))) < 1e-8);
        CHECK(v.gradient[1] == 0.0);
    }
    // Every trajectory of a 4000-step corridor is far too many to enumerate.
    rl::core::EpisodeEstimator e;
    const rl::core::EpisodeExact exact = rl::core::episode_exact(
        corridor, rl::core::make_episode_policy(Parameterization::kPinnedLast, 2, {0.0, 0.0}), e);
    CHECK_FALSE(exact.exact);
    CHECK(exact.reason.find("2^20") != std::string::npos);
}

TEST_CASE("episode exact: baselines with no closed form say why") {
    const rl::core::TokenSequenceModel model(small_tokens(rl::core::TokenPolicyForm::kShared, 2));
    const EpisodePolicy policy = random_policy(Parameterization::kFree, 2, 1, 1);
    for (const BaselineKind kind :
         {BaselineKind::kRunning, BaselineKind::kGroupNorm, BaselineKind::kLearnedValue}) {
        rl::core::EpisodeEstimator e;
        e.baseline = kind;
        e.K = 4;
        const rl::core::EpisodeExact exact = rl::core::episode_exact(model, policy, e);
        CHECK_FALSE(exact.exact);
        CHECK(exact.reason.find("Monte Carlo only") != std::string::npos);
        CHECK(exact.gradient.size() == 2);  // grad J is exact all the same
    }
    rl::core::EpisodeEstimator loo;
    loo.baseline = BaselineKind::kRloo;
    CHECK(rl::core::episode_exact(model, policy, loo).reason == "leave-one-out needs K >= 2");
}
