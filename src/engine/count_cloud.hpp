#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/alias_table.hpp"
#include "core/estimator.hpp"
#include "core/experiment.hpp"
#include "core/multinomial_table.hpp"
#include "core/policy_point.hpp"
#include "core/reward_model.hpp"
#include "engine/cloud_batch.hpp"
#include "engine/engine.hpp"

// A gradient cloud's batches drawn as counts (docs/MATH.md section 14): when rewards depend only
// on the action, a batch's estimate depends on its samples only through each action's count and
// reward sum (and, for group normalisation, the sum of squares), so those are drawn from their
// exact joint distribution instead of sample by sample. The likeliest actions are counted by
// table lookups of whole chunks of the multinomial; the rest (the tail) are drawn one by one.
namespace rl::engine {

// Pair indices of the count-reward stream each counted action owns.
inline constexpr std::uint32_t kCountRewardPairs = 4096;
// The count stream's pair index for batches whose one lookup decides them: apart from draw()'s
// lookups (pair j < K / 2), so the two ways never share words.
inline constexpr std::uint32_t kFoldedPair = 0x80000000u;

struct CountPlan {
    bool use_counts = false;
    std::vector<std::uint32_t> top;  // the counted actions, most likely first
    double tail_mass = 0.0;          // the probability of every other action
    // Estimated work per batch, in units of one sample drawn and scored the usual way.
    double cost_counts = 0.0, cost_samples = 0.0;
};

// Whether (and with which counted actions) a cloud at this policy is cheaper drawn as counts.
// kSamples and kCounts force the answer; kAuto asks the cost model.
CountPlan plan_cloud_draw(const core::PolicyPoint& pt, const core::RunProblem& problem,
                          const core::EstimatorSettings& est, int K, int M, CloudDraw draw);

// Every outcome of a one-lookup batch folded once: where a batch's estimate is a function of its
// single table lookup (fixed rewards, K within one chunk, no tail), a batch is a lookup and a
// copy, and a task's sums are its tally of outcomes times their shares.
struct FoldedOutcomes {
    std::vector<double> px, py, norm2;
    std::vector<double> scaled_mean_adv, scale;  // the outcome's clip scale * mean(A), and scale
    std::vector<double> scaled_v;                // outcomes x groups: clip scale * A / K summed
    std::vector<std::uint32_t> actions;          // each group's action
};
// Adds each outcome's share times how often the cloud met it to the cloud's sums. Counts add
// exactly, so a tally kept per worker and added up gives the same sums on any thread count.
void add_tally(const FoldedOutcomes& f, std::span<const std::uint64_t> tally,
               std::span<double> action_sums, double& scaled_mean_adv, double& scale_sum);

// The tables one cloud's count batches draw from, built once per cloud.
class CountBatches {
  public:
    CountBatches(const CountPlan& plan, const core::PolicyPoint& pt,
                 const core::RunProblem& problem, const core::EstimatorSettings& est, int K,
                 double fixed_baseline);

    struct Scratch {
        std::vector<std::uint32_t> counts;  // per group
        std::vector<double> sums, within;   // reward sum, sum of squared deviations, per group
        std::vector<std::uint32_t> hits;    // Bernoulli: the draws that paid hi, per group
        std::vector<std::uint32_t> tail_actions;
        std::vector<double> tail_rewards;
    };
    Scratch make_scratch() const;

    // Batch `batch` of the cloud keyed (seed, run, step): sum of A / K per action into `out`;
    // returns the mean advantage.
    double draw(std::uint64_t seed, std::uint32_t run, std::uint32_t step, std::uint32_t batch,
                Scratch& s, SparseAccumulator& out) const;

    bool one_lookup_decides() const;
    FoldedOutcomes fold_outcomes(const CloudBatchContext& context) const;
    std::uint32_t outcomes() const { return m_chunk.outcomes(); }
    // The outcomes of batches first_batch (even) and first_batch + 1, when one_lookup_decides().
    void draw_outcome_pair(std::uint64_t seed, std::uint32_t run, std::uint32_t step,
                           std::uint32_t first_batch, std::uint32_t outcomes[2]) const;

  private:
    struct Group {
        std::uint32_t action = 0;
        core::RewardKind kind = core::RewardKind::kFixed;
        double low = 0.0;     // the used reward (fixed), its mean (Gaussian), or lo (Bernoulli)
        double high = 0.0;    // Bernoulli: hi as used
        double spread = 0.0;  // Gaussian: sd
        int binomial = -1;    // Bernoulli: its tables in m_binomials
    };
    struct BatchSpread {
        bool agree = true;     // every reward of the batch equal
        double squares = 0.0;  // sum of squared deviations from the mean (group norm only)
    };
    void reward_sums(const core::StreamKey& key, Scratch& s) const;
    BatchSpread batch_spread(const Scratch& s, std::uint32_t tail, double mean) const;
    // The batch's advantages from its counts and sums: A / K per action into `out`; returns the
    // mean advantage.
    double score(Scratch& s, std::uint32_t tail, SparseAccumulator& out) const;
    void draw_tail(const core::StreamKey& action_key, const core::StreamKey& reward_key,
                   std::uint32_t count, Scratch& s) const;

    const core::PolicyPoint& m_pt;
    core::BaselineKind m_baseline;
    double m_fixed_baseline;
    int m_K;
    bool m_need_within;     // group normalisation needs the batch's sum of squares
    bool m_batch_relative;  // the baseline is the batch's own mean (batch mean, RLOO, group norm)
    std::vector<Group> m_groups;
    bool m_has_tail = false;
    core::MultinomialTable m_chunk, m_rest;  // chunk-sized lookups, then one of the remainder
    int m_chunks = 0;
    std::vector<core::BinomialTables> m_binomials;
    core::AliasTable m_tail_table;  // over the tail actions, in m_tail_actions order
    std::vector<std::uint32_t> m_tail_actions;
    std::vector<core::RewardSampler> m_tail_samplers;
    bool m_tail_noisy = false;
};

}  // namespace rl::engine
