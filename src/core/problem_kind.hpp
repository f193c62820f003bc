#pragma once

namespace rl::core {

// What kind of problem the settings describe: one step (a bandit), or an episode of decisions.
enum class ProblemKind {
    kBandit,  // one action, one reward
    kTokens,  // `length` tokens, each from the actions as a vocabulary
    kTable,   // a table of states and moves (`table`), the actions chosen in each state
};

}  // namespace rl::core
