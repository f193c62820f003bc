#include "engine/count_cloud.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/random_streams.hpp"
#include "core/sample_draw.hpp"

namespace rl::engine {

namespace {

// Work in units of one sample drawn and scored by the per-sample path (5-13 ns on the machines
// here); rough figures from profiles of reinforce-lab-bench --draw at N = 3 and 1,000, K = 64.
// They need only be right to a factor of two: the choice changes the speed, never the
// distribution.
constexpr double kSampleCost = 1.0;
constexpr double kLookupCost = 2.0;      // a scalar Philox block serves two table lookups
constexpr double kGroupAddCost = 0.1;    // adding one group's count of an outcome
constexpr double kTailSampleCost = 1.5;  // a tail sample, drawn alone rather than sixteen at once
constexpr double kFixedGroupCost = 0.3;
constexpr double kGaussianGroupCost = 3.0;
constexpr double kGammaCost = 6.0;
constexpr double kBuildCostPerEntry = 0.05;
constexpr double kBatchOverhead = 5.0;  // the fold, the histogram, the writes
// Counts are chosen only when clearly cheaper: the model is rough.
constexpr double kMargin = 0.7;
constexpr std::size_t kMaxCounted = 32;
constexpr int kBinomialChunk = 64;

bool needs_within(const core::EstimatorSettings& est) {
    return est.baseline == core::BaselineKind::kGroupNorm;
}

int binomial_chunk(int K) {
    return std::min(K, kBinomialChunk);
}

double group_cost(const core::RewardSampler& s, double expected_count, int K, bool within) {
    switch (s.kind) {
        case core::RewardKind::kGaussian:
            return kGaussianGroupCost + (within ? kGammaCost : 0.0);
        case core::RewardKind::kBernoulli:
            return kLookupCost * (expected_count / binomial_chunk(K) + 1.0);
        case core::RewardKind::kFixed:
        default:
            return kFixedGroupCost;
    }
}

// Chunked lookups of a multinomial over `groups` groups for K samples: the chunk and how many.
struct Chunking {
    int chunk = 0, lookups = 0, rest = 0;
    std::uint64_t entries = 0;
};
Chunking chunking(std::size_t groups, int K) {
    Chunking c;
    c.chunk = core::MultinomialTable::largest_chunk(groups, K);
    if (c.chunk == 0) return c;
    c.rest = K % c.chunk;
    c.lookups = K / c.chunk + (c.rest > 0 ? 1 : 0);
    c.entries = (core::MultinomialTable::outcome_count(c.chunk, groups) +
                 (c.rest > 0 ? core::MultinomialTable::outcome_count(c.rest, groups) : 0)) *
                groups;
    return c;
}

}  // namespace

CountPlan plan_cloud_draw(const core::PolicyPoint& pt, const core::RunProblem& problem,
                          const core::EstimatorSettings& est, int K, int M, CloudDraw draw) {
    CountPlan plan;
    plan.cost_samples = K * kSampleCost + kBatchOverhead;
    if (draw == CloudDraw::kSamples || pt.n == 0) return plan;
    const std::size_t most = std::min(pt.n, kMaxCounted);
    std::vector<std::uint32_t> order(pt.n);
    std::iota(order.begin(), order.end(), 0u);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(most), order.end(),
                      [&](std::uint32_t a, std::uint32_t b) {
                          return pt.pi[a] > pt.pi[b] || (pt.pi[a] == pt.pi[b] && a < b);
                      });
    double rest_total = 0.0;
    for (std::size_t i = most; i < pt.n; ++i)
        rest_total += pt.pi[order[i]];
    // Tail mass for each m, summed from the least likely end so a small tail is not lost to
    // cancellation.
    std::vector<double> tail(most + 1, 0.0);
    tail[most] = rest_total;
    for (std::size_t m = most; m-- > 0;)
        tail[m] = tail[m + 1] + pt.pi[order[m]];
    const bool within = needs_within(est);
    double best = 0.0;
    std::size_t best_m = 0;
    double groups_cost = 0.0;
    for (std::size_t m = 1; m <= most; ++m) {
        groups_cost +=
            group_cost(problem.samplers[order[m - 1]], K * pt.pi[order[m - 1]], K, within);
        const bool has_tail = m < pt.n;
        const Chunking c = chunking(m + (has_tail ? 1 : 0), K);
        if (c.chunk == 0) break;
        const double cost = c.lookups * (kLookupCost + kGroupAddCost * static_cast<double>(m)) +
                            groups_cost + (has_tail ? K * tail[m] * kTailSampleCost : 0.0) +
                            kBuildCostPerEntry * static_cast<double>(c.entries) / M +
                            kBatchOverhead;
        if (best_m == 0 || cost < best) {
            best = cost;
            best_m = m;
        }
    }
    if (best_m == 0) return plan;
    plan.cost_counts = best;
    plan.use_counts = draw == CloudDraw::kCounts || best < kMargin * plan.cost_samples;
    if (!plan.use_counts) return plan;
    plan.top.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(best_m));
    plan.tail_mass = best_m < pt.n ? tail[best_m] : 0.0;
    return plan;
}

CountBatches::CountBatches(const CountPlan& plan, const core::PolicyPoint& pt,
                           const core::RunProblem& problem, const core::EstimatorSettings& est,
                           int K, double fixed_baseline)
    : m_pt(pt),
      m_baseline(est.baseline),
      m_fixed_baseline(fixed_baseline),
      m_K(K),
      m_need_within(needs_within(est)),
      m_batch_relative(core::subtracts_batch_mean(est.baseline)) {
    std::vector<std::uint8_t> counted(pt.n, 0);
    std::vector<double> probs;
    for (std::uint32_t a : plan.top) {
        counted[a] = 1;
        const core::RewardSampler& r = problem.samplers[a];
        Group g;
        g.action = a;
        g.kind = r.kind;
        // The same arithmetic as the per-sample path: the drawn reward, then the shift.
        g.low = r.base - pt.reward_shift[a];
        g.spread = r.spread;
        if (r.kind == core::RewardKind::kBernoulli) {
            g.high = (r.base + r.spread) - pt.reward_shift[a];
            // The per-sample path succeeds with probability threshold / 2^32 exactly.
            m_binomials.emplace_back(static_cast<double>(r.p_threshold) / 4294967296.0,
                                     binomial_chunk(K));
            g.binomial = static_cast<int>(m_binomials.size()) - 1;
        }
        m_groups.push_back(g);
        probs.push_back(pt.pi[a]);
    }
    std::vector<double> tail_probs;
    for (std::uint32_t a = 0; a < pt.n; ++a) {
        if (counted[a]) continue;
        m_tail_actions.push_back(a);
        tail_probs.push_back(pt.pi[a]);
        m_tail_samplers.push_back(problem.samplers[a]);
        m_tail_noisy = m_tail_noisy || problem.samplers[a].kind != core::RewardKind::kFixed;
    }
    double tail_total = 0.0;
    for (double p : tail_probs)
        tail_total += p;
    m_has_tail = !m_tail_actions.empty() && tail_total > 0.0;
    if (m_has_tail) {
        probs.push_back(tail_total);
        m_tail_table = core::AliasTable(tail_probs);
    }
    const Chunking c = chunking(probs.size(), K);
    m_chunk = core::MultinomialTable(probs, c.chunk);
    m_chunks = K / c.chunk;
    if (c.rest > 0) m_rest = core::MultinomialTable(probs, c.rest);
}

CountBatches::Scratch CountBatches::make_scratch() const {
    Scratch s;
    s.counts.resize(m_groups.size() + (m_has_tail ? 1 : 0));
    s.sums.resize(m_groups.size());
    s.within.resize(m_groups.size());
    s.hits.resize(m_groups.size());
    s.tail_actions.resize(static_cast<std::size_t>(m_K));
    s.tail_rewards.resize(static_cast<std::size_t>(m_K));
    return s;
}

namespace {

// Gamma(shape, 1) by Marsaglia and Tsang's squeeze (docs/MATH.md 14.3), one Philox block per
// attempt from pair index first + attempt: words 0 and 1 the normal, word 2 the uniform, and for
// shape < 1 the boost uniform from the first block's word 3. Acceptance is above 95% for every
// shape, so 64 attempts fail with probability below 1e-80; then the mode is returned.
double gamma_draw(double shape, const core::StreamKey& key, std::uint32_t first) {
    const bool boost = shape < 1.0;
    const double a = boost ? shape + 1.0 : shape;
    const double d = a - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    double boost_u = 1.0;
    for (std::uint32_t attempt = 0; attempt < 64; ++attempt) {
        const core::PhiloxCounter w = core::draw_pair(key, first + attempt);
        if (attempt == 0 && boost) boost_u = core::uniform_open(w.v[3]);
        double z = 0.0, unused = 0.0;
        core::standard_normal_pair(w.v[0], w.v[1], z, unused);
        const double t = 1.0 + c * z;
        if (t <= 0.0) continue;
        const double v = t * t * t;
        const double u = core::uniform_open(w.v[2]);
        if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) {
            const double g = d * v;
            return boost ? g * std::pow(boost_u, 1.0 / shape) : g;
        }
    }
    return d;
}

}  // namespace

void CountBatches::reward_sums(const core::StreamKey& key, Scratch& s) const {
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const Group& grp = m_groups[g];
        const std::uint32_t c = s.counts[g];
        s.within[g] = 0.0;
        if (c == 0) {
            s.sums[g] = 0.0;
            continue;
        }
        const double cd = c;
        const auto base = static_cast<std::uint32_t>(g) * kCountRewardPairs;
        switch (grp.kind) {
            case core::RewardKind::kGaussian: {
                // The sum of c draws of N(mu, sd^2) is N(c mu, c sd^2); the squared deviations
                // from their own mean are sd^2 chi^2 with c - 1 degrees of freedom, apart from it.
                const core::PhiloxCounter w = core::draw_pair(key, base);
                double z = 0.0, unused = 0.0;
                core::standard_normal_pair(w.v[0], w.v[1], z, unused);
                s.sums[g] = cd * grp.low + grp.spread * std::sqrt(cd) * z;
                if (m_need_within && c >= 2 && grp.spread > 0.0)
                    s.within[g] =
                        grp.spread * grp.spread * 2.0 * gamma_draw(0.5 * (cd - 1.0), key, base + 1);
                break;
            }
            case core::RewardKind::kBernoulli: {
                const core::BinomialTables& tables =
                    m_binomials[static_cast<std::size_t>(grp.binomial)];
                const int chunk = tables.max_draws();
                std::uint32_t hits = 0, left = c, lookup = 0;
                core::PhiloxCounter w{};
                while (left > 0) {
                    const int n = static_cast<int>(std::min<std::uint32_t>(left, chunk));
                    if (lookup % 2 == 0) w = core::draw_pair(key, base + lookup / 2);
                    const std::uint32_t* bits = w.v + 2 * (lookup % 2);
                    const core::MultinomialTable& t = tables.table(n);
                    hits += t.counts(t.draw(bits[0], bits[1]))[1];
                    left -= static_cast<std::uint32_t>(n);
                    ++lookup;
                }
                s.hits[g] = hits;
                const double h = hits;
                s.sums[g] = (cd - h) * grp.low + h * grp.high;
                const double gap = grp.high - grp.low;
                s.within[g] = h * (cd - h) / cd * gap * gap;
                break;
            }
            case core::RewardKind::kFixed:
            default:
                s.sums[g] = cd * grp.low;
                break;
        }
    }
}

void CountBatches::draw_tail(const core::StreamKey& action_key, const core::StreamKey& reward_key,
                             std::uint32_t count, Scratch& s) const {
    for (std::uint32_t k = 0; k < count; k += 2)
        core::draw_sample_pair(m_tail_table.data(), m_tail_table.size(), m_tail_samplers.data(),
                               m_tail_noisy, action_key, reward_key, k / 2, k + 1 < count,
                               s.tail_actions.data() + k, s.tail_rewards.data() + k);
    for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint32_t a = m_tail_actions[s.tail_actions[k]];
        s.tail_actions[k] = a;
        s.tail_rewards[k] -= m_pt.reward_shift[a];
    }
}

CountBatches::BatchSpread CountBatches::batch_spread(const Scratch& s, std::uint32_t tail,
                                                     double mean) const {
    BatchSpread out;
    bool have_value = false;
    double first = 0.0;
    // All rewards equal, asked of the rewards themselves as the per-sample path does.
    const auto see = [&](double v) {
        if (!have_value) {
            first = v;
            have_value = true;
        } else if (v != first) {
            out.agree = false;
        }
    };
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const std::uint32_t c = s.counts[g];
        if (c == 0) continue;
        const Group& grp = m_groups[g];
        const double cd = c;
        const bool one_value =
            grp.kind == core::RewardKind::kFixed ||
            (grp.kind == core::RewardKind::kGaussian && (grp.spread == 0.0 || c == 1));
        // A group of equal rewards is seen as its value itself: c v / c need not round back
        // to v.
        const double own = one_value && c > 1 ? grp.low : s.sums[g] / cd;
        if (m_need_within) out.squares += s.within[g] + cd * (own - mean) * (own - mean);
        if (grp.kind == core::RewardKind::kBernoulli) {
            if (s.hits[g] < c) see(grp.low);
            if (s.hits[g] > 0) see(grp.high);
        } else if (one_value) {
            see(own);
        } else {
            out.agree = false;  // two continuous draws are equal with probability 0
        }
    }
    for (std::uint32_t k = 0; k < tail; ++k) {
        const double r = s.tail_rewards[k];
        if (m_need_within) out.squares += (r - mean) * (r - mean);
        see(r);
    }
    return out;
}

double CountBatches::draw(std::uint64_t seed, std::uint32_t run, std::uint32_t step,
                          std::uint32_t batch, Scratch& s, SparseAccumulator& out) const {
    const core::StreamKey count_key{seed, core::Purpose::kCloudCount, run, step, batch};
    std::fill(s.counts.begin(), s.counts.end(), 0u);
    const std::size_t groups = s.counts.size();
    const int lookups = m_chunks + (m_rest.groups() > 0 ? 1 : 0);
    core::PhiloxCounter w{};
    for (int j = 0; j < lookups; ++j) {
        if (j % 2 == 0) w = core::draw_pair(count_key, static_cast<std::uint32_t>(j / 2));
        const std::uint32_t* bits = w.v + 2 * (j % 2);
        const core::MultinomialTable& t = j < m_chunks ? m_chunk : m_rest;
        const std::uint16_t* c = t.counts(t.draw(bits[0], bits[1]));
        for (std::size_t g = 0; g < groups; ++g)
            s.counts[g] += c[g];
    }
    reward_sums({seed, core::Purpose::kCloudCountReward, run, step, batch}, s);
    const std::uint32_t tail = m_has_tail ? s.counts.back() : 0u;
    if (tail > 0)
        draw_tail({seed, core::Purpose::kCloudAction, run, step, batch},
                  {seed, core::Purpose::kCloudReward, run, step, batch}, tail, s);
    return score(s, tail, out);
}

double CountBatches::score(Scratch& s, std::uint32_t tail, SparseAccumulator& out) const {
    double total = 0.0;
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        total += s.sums[g];
    for (std::uint32_t k = 0; k < tail; ++k)
        total += s.tail_rewards[k];
    const double K = m_K;
    const double mean = total / K;
    core::BatchScale batch{1.0, m_fixed_baseline};
    if (m_batch_relative) {
        const BatchSpread spread = batch_spread(s, tail, mean);
        batch = core::batch_scale(m_baseline, m_K, m_fixed_baseline, mean, spread.agree,
                                  spread.squares);
    }
    const double b = batch.beta;
    const double scale = batch.lambda / K;
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const std::uint32_t c = s.counts[g];
        if (c > 0) out.add(m_groups[g].action, scale * (s.sums[g] - c * b));
    }
    for (std::uint32_t k = 0; k < tail; ++k)
        out.add(s.tail_actions[k], scale * (s.tail_rewards[k] - b));
    return scale * (total - K * b);
}

bool CountBatches::one_lookup_decides() const {
    return !m_has_tail && m_chunks == 1 && m_rest.groups() == 0 &&
           std::all_of(m_groups.begin(), m_groups.end(),
                       [](const Group& g) { return g.kind == core::RewardKind::kFixed; });
}

FoldedOutcomes CountBatches::fold_outcomes(const CloudBatchContext& context) const {
    FoldedOutcomes f;
    const std::uint32_t n = m_chunk.outcomes();
    const std::size_t groups = m_groups.size();
    f.px.resize(n);
    f.py.resize(n);
    f.norm2.resize(n);
    f.scaled_mean_adv.resize(n);
    f.scale.resize(n);
    f.scaled_v.assign(static_cast<std::size_t>(n) * groups, 0.0);
    for (const Group& g : m_groups)
        f.actions.push_back(g.action);
    Scratch s = make_scratch();
    SparseAccumulator batch, task;
    batch.resize(m_pt.n);
    task.resize(m_pt.n);
    for (std::uint32_t o = 0; o < n; ++o) {
        const std::uint16_t* c = m_chunk.counts(o);
        std::copy(c, c + groups, s.counts.begin());
        reward_sums({}, s);  // fixed rewards: no random words are read
        CloudTaskSums sums;
        fold_batch(context, batch, score(s, 0, batch), task, sums, f.px[o], f.py[o], f.norm2[o]);
        f.scaled_mean_adv[o] = sums.scaled_mean_adv;
        f.scale[o] = sums.scale;
        for (std::size_t g = 0; g < groups; ++g)
            if (task.seen[m_groups[g].action])
                f.scaled_v[o * groups + g] = task.value[m_groups[g].action];
        task.clear();
    }
    return f;
}

void CountBatches::draw_outcome_pair(std::uint64_t seed, std::uint32_t run, std::uint32_t step,
                                     std::uint32_t first_batch, std::uint32_t outcomes[2]) const {
    // One Philox block serves batches 2i and 2i + 1, two words each: this path's own stream,
    // keyed like every other by (seed, run, step, batch), the batch's pair standing for it.
    const core::PhiloxCounter w = core::draw_pair(
        {seed, core::Purpose::kCloudCount, run, step, first_batch / 2}, kFoldedPair);
    outcomes[0] = m_chunk.draw(w.v[0], w.v[1]);
    outcomes[1] = m_chunk.draw(w.v[2], w.v[3]);
}

void add_tally(const FoldedOutcomes& f, std::span<const std::uint64_t> tally,
               std::span<double> action_sums, double& scaled_mean_adv, double& scale_sum) {
    const std::size_t groups = f.actions.size();
    for (std::size_t o = 0; o < tally.size(); ++o) {
        if (tally[o] == 0) continue;
        const auto times = static_cast<double>(tally[o]);
        for (std::size_t g = 0; g < groups; ++g)
            action_sums[f.actions[g]] += times * f.scaled_v[o * groups + g];
        scaled_mean_adv += times * f.scaled_mean_adv[o];
        scale_sum += times * f.scale[o];
    }
}

}  // namespace rl::engine
