#include "core/episodes/episode_table.hpp"

#include <algorithm>

namespace rl::core {

EpisodeTableModel::EpisodeTableModel(EpisodeTableSpec spec) : spec_(std::move(spec)) {
    const std::size_t S = spec_.states.size();
    const std::size_t A = spec_.actions.size();
    is_terminal_.assign(S, false);
    for (const std::uint32_t s : spec_.terminal)
        if (s < S) is_terminal_[s] = true;
    blocks_ = spec_.state_block.empty() ? S
                                        : static_cast<std::size_t>(*std::max_element(
                                              spec_.state_block.begin(), spec_.state_block.end())) +
                                              1;
    by_pair_.assign(S * A, {});
    for (const TableTransition& tr : spec_.transitions)
        if (tr.state < S && tr.action < A)
            by_pair_[tr.state * A + tr.action].push_back({tr.prob, tr.next, tr.reward});
}

std::uint32_t EpisodeTableModel::block(int, std::uint32_t x) const {
    return spec_.state_block.empty() ? x : spec_.state_block[x];
}

void EpisodeTableModel::outcomes(int, std::uint32_t x, std::uint32_t a,
                                 std::vector<EpisodeOutcome>& out) const {
    out = by_pair_[x * spec_.actions.size() + a];
}

EpisodeTableSpec short_corridor(int step_cap) {
    EpisodeTableSpec spec;
    spec.states = {"start", "reversed", "third", "goal"};
    spec.actions = {"left", "right"};
    RewardModel step;
    step.value = -1.0;
    const auto move = [&](std::uint32_t from, std::uint32_t action, std::uint32_t to) {
        spec.transitions.push_back({from, action, to, 1.0, step});
    };
    // Left at the start bumps into the wall and stays.
    move(0, 0, 0);
    move(0, 1, 1);
    // The reversed state: left goes right and right goes left.
    move(1, 0, 2);
    move(1, 1, 0);
    move(2, 0, 1);
    move(2, 1, 3);
    spec.start = 0;
    spec.terminal = {3};
    spec.discount = 1.0;
    spec.step_cap = step_cap;
    spec.state_block = {0, 0, 0, 0};
    return spec;
}

}  // namespace rl::core
