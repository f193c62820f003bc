#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/episodes/episode_estimator.hpp"
#include "core/episodes/episode_model.hpp"
#include "core/episodes/episode_values.hpp"

// The exact mean and covariance trace of an episode estimator's K-sample estimate, from moments
// gathered by enumerating every trajectory (docs/MATH.md, section 13). Reward noise is not
// enumerated: each step's reward enters through its mean and variance.
namespace rl::core {

// The most trajectories episode_moments walks; above it the app shows Monte Carlo values.
inline constexpr double kMaxEnumeratedTrajectories = 1048576.0;  // 2^20
// The most for each length of a sweep over T = 1 .. length (horizon.csv, SNR against length):
// such a sweep walks every length's trajectories, so a smaller bound keeps it to seconds.
inline constexpr double kMaxSweepTrajectories = 65536.0;  // 2^16

// Expectations over one episode, per decision t (0-based, up to the horizon). W_t is the credit
// (R or the discounted reward-to-go), wbar_t its mean given the trajectory, psi_t the score
// (0 after the episode ends), C_ts the covariance of the reward noise in W_t and W_s.
struct EpisodeMoments {
    int horizon = 0;
    std::size_t params = 0;
    std::vector<double> mean;   // E[sum_t wbar_t psi_t] = grad J
    std::vector<double> reach;  // P(decision t is made)
    std::vector<double> c;      // E|psi_t|^2
    std::vector<double> p;      // E[sum_s wbar_s <psi_s, psi_t>]
    double q0 = 0.0;            // E|sum_t W_t psi_t|^2
    std::vector<double> ew;     // E[W_t] (0 when the episode ended before t)
    std::vector<double> m2;     // E[W_t^2]
    // E[wbar_t psi_s], horizon x horizon rows of params; only gathered when asked for. With
    // `diagonal`, only E[wbar_t psi_t], horizon rows: decisions share no block, so the rest
    // are orthogonal and drop out.
    std::vector<double> h;
    bool diagonal = false;
    double prefix_q0 = 0.0;  // E|g|^2 for the prefix-value baseline
    double J = 0.0;
};

// False in `ok` when there are more than `max_trajectories` trajectories and decisions share a
// logit block (dynamic programming serves the rest).
struct EpisodeMomentsResult {
    bool ok = false;
    std::string reason;
    EpisodeMoments moments;
};

EpisodeMomentsResult episode_moments(const EpisodeModel& model, const EpisodePolicy& policy,
                                     const EpisodeValues& values, Credit credit,
                                     bool with_cross_terms,
                                     double max_trajectories = kMaxEnumeratedTrajectories);

// The same moments by dynamic programming, for a model whose decisions share no logit block
// (docs/MATH.md 13.7), however many trajectories it has. episode_moments uses it beyond 2^20.
EpisodeMoments episode_moments_dp(const EpisodeModel& model, const EpisodePolicy& policy,
                                  const EpisodeValues& values, Credit credit,
                                  bool with_cross_terms);

struct EpisodeExact {
    bool exact = false;
    std::string reason;  // why there are no exact values, when there are none
    double J = 0.0;
    std::vector<double> gradient;  // grad J (always exact: dynamic programming)
    std::vector<double> mean;      // E[g]; empty without exact values
    double trace_cov = 0.0;
    double snr = 0.0;
    std::string snr_reason;
};

// The baselines b_t a fixed-baseline estimator subtracts (none, constant, expected, optimal).
std::vector<double> fixed_episode_baselines(const EpisodeMoments& m, const EpisodeEstimator& e,
                                            double discount);

EpisodeExact episode_exact(const EpisodeModel& model, const EpisodePolicy& policy,
                           const EpisodeEstimator& estimator);
// The same for a policy whose values (episode_values) the caller already has.
EpisodeExact episode_exact(const EpisodeModel& model, const EpisodePolicy& policy,
                           const EpisodeValues& values, const EpisodeEstimator& estimator);

// The same from moments gathered once (with cross terms, for every baseline and K) for a policy
// whose values are `values`; `moments.ok` false gives its reason.
EpisodeExact episode_exact_from(const EpisodeModel& model, const EpisodeValues& values,
                                const EpisodeMomentsResult& moments,
                                const EpisodeEstimator& estimator);

}  // namespace rl::core
