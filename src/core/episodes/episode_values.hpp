#pragma once

#include <cstdint>
#include <vector>

#include "core/episodes/episode_model.hpp"

// What dynamic programming over (decision, situation) gives exactly, however many trajectories
// there are: the value of every prefix, how often each situation is reached, J and grad J.
namespace rl::core {

struct EpisodeValues {
    int horizon = 0;
    std::uint32_t situations = 0;
    // V_t(x) = E[G_t | in x at decision t], G_t the discounted return from t on; 0 past the
    // horizon and in terminal situations. (horizon + 1) rows of `situations`.
    std::vector<double> value;
    // d_t(x): the probability that decision t is made in x. horizon rows.
    std::vector<double> occupancy;
    double J = 0.0;                // E[R], R the discounted return from the start
    std::vector<double> gradient;  // grad J, blocks x actions, zero on pinned components
    // Trajectories with positive probability (reward noise aside), saturating at 1e300.
    double trajectories = 0.0;

    double value_at(int t, std::uint32_t x) const {
        return value[static_cast<std::size_t>(t) * situations + x];
    }
    double occupancy_at(int t, std::uint32_t x) const {
        return occupancy[static_cast<std::size_t>(t) * situations + x];
    }
};

EpisodeValues episode_values(const EpisodeModel& model, const EpisodePolicy& policy);

// Q_t(x, a) = sum over a's outcomes of p (rbar + gamma V_{t+1}(next)), from computed values;
// `scratch` holds the outcomes afterwards.
double action_value(const EpisodeModel& model, const EpisodeValues& values, int t, std::uint32_t x,
                    std::uint32_t a, std::vector<EpisodeOutcome>& scratch);

}  // namespace rl::core
