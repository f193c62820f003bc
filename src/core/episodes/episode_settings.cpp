#include "core/episodes/episode_settings.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "core/choices.hpp"
#include "core/episodes/episode_objective.hpp"
#include "core/episodes/episode_table.hpp"
#include "core/episodes/token_sequence.hpp"
#include "core/settings_fields.hpp"

namespace rl::core {

namespace {

// Each token's rewards by position: inside the sequence, one per position, in range.
std::string by_position_reason(const Settings& s) {
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        const std::vector<PositionReward>& list = s.actions[i].by_position;
        std::vector<bool> seen(static_cast<std::size_t>(s.length) + 1, false);
        for (std::size_t j = 0; j < list.size(); ++j) {
            const std::string where =
                "actions[" + std::to_string(i) + "].by_position[" + std::to_string(j) + "]";
            const int p = list[j].position;
            if (p < 1 || p > s.length)
                return where + ".position: " + std::to_string(p) + " is outside 1 to length " +
                       std::to_string(s.length);
            if (seen[static_cast<std::size_t>(p)])
                return where + ".position: " + std::to_string(p) + " is given twice for " +
                       s.actions[i].name;
            seen[static_cast<std::size_t>(p)] = true;
            // The reward's fields get the ranges an action's own reward gets.
            Settings one;
            one.actions.push_back({s.actions[i].name, list[j].reward, false, {}});
            for (const ActionField& f : kActionFields) {
                if (f.reward_kinds == 0 || !action_has_field(f, list[j].reward.kind)) continue;
                if (std::string e = check_action_field(f, one, 0, f.get(one, 0),
                                                       where + "." + std::string(f.key));
                    !e.empty())
                    return e;
            }
        }
    }
    return {};
}

std::string token_reason(const Settings& s) {
    const std::size_t V = s.actions.size();
    if (V > limits::kMaxTokens)
        return "actions: a token sequence takes 2 to " + std::to_string(limits::kMaxTokens) +
               " tokens, got " + std::to_string(V);
    if (s.vocabulary) return "vocabulary: a token sequence lists its tokens as actions";
    if (std::string e = by_position_reason(s); !e.empty()) return e;
    if (s.outcome == OutcomeRule::kNone) return {};
    const bool any = std::any_of(s.actions.begin(), s.actions.end(),
                                 [](const ActionSpec& a) { return a.marked; });
    if (!any)
        return "outcome: " + std::string(to_string(s.outcome)) +
               " counts the marked tokens, and none is marked (set action.NAME.marked=1)";
    if (s.outcome == OutcomeRule::kAtLeast && s.outcome_count > s.length)
        return "outcome_count: at_least " + std::to_string(s.outcome_count) + " of " +
               std::to_string(s.length) + " tokens can never hold (at most length)";
    return {};
}

std::string table_where(std::size_t i, std::string_view key) {
    return "table.transitions[" + std::to_string(i) + "]." + std::string(key);
}

}  // namespace

std::string check_episode_table(const EpisodeTableSpec& t, std::size_t actions) {
    const std::size_t S = t.states.size();
    if (S < 1 || S > limits::kMaxStates)
        return "table.states: need between 1 and " + std::to_string(limits::kMaxStates) +
               " states, got " + std::to_string(S);
    std::unordered_set<std::string> names;
    for (const std::string& name : t.states)
        if (name.empty() || !names.insert(name).second)
            return "table.states: '" + name + "' is empty or named twice (each state needs a name)";
    if (t.start >= S) return "table.start: no such state";
    for (const std::uint32_t x : t.terminal)
        if (x >= S) return "table.terminal: no such state";
    if (!t.state_block.empty() && t.state_block.size() != S)
        return "table.state_block: one block per state (" + std::to_string(S) + "), got " +
               std::to_string(t.state_block.size());
    for (const std::uint32_t b : t.state_block)
        if (b >= S) return "table.state_block: a block number must be below the state count";
    std::vector<double> total(S * actions, 0.0);
    for (std::size_t i = 0; i < t.transitions.size(); ++i) {
        const TableTransition& tr = t.transitions[i];
        if (tr.state >= S) return table_where(i, "from") + ": no such state";
        if (tr.next >= S) return table_where(i, "to") + ": no such state";
        if (tr.action >= actions) return table_where(i, "action") + ": no such action";
        if (!(tr.prob >= 0.0 && tr.prob <= 1.0))
            return table_where(i, "prob") + ": must be between 0 and 1";
        const RewardModel& r = tr.reward;
        for (const double v : {r.value, r.mean, r.sd, r.lo, r.hi})
            if (!(std::abs(v) <= limits::kMaxRewardMagnitude))
                return table_where(i, "reward") + ": must lie between -1e30 and 1e30";
        if (r.sd < 0.0 || !(r.p >= 0.0 && r.p <= 1.0))
            return table_where(i, "reward") + ": sd must be at least 0 and p between 0 and 1";
        total[tr.state * actions + tr.action] += tr.prob;
    }
    std::vector<bool> terminal(S, false);
    for (const std::uint32_t x : t.terminal)
        terminal[x] = true;
    for (std::size_t x = 0; x < S; ++x) {
        if (terminal[x]) continue;
        for (std::size_t a = 0; a < actions; ++a)
            if (std::abs(total[x * actions + a] - 1.0) > 1e-9)
                return "table.transitions: the moves of action " + std::to_string(a) +
                       " in state '" + t.states[x] + "' have probabilities summing to " +
                       std::to_string(total[x * actions + a]) + ", not 1";
    }
    return {};
}

namespace {

// A value a problem would ignore is refused: the user meant something by it.
std::string unused_reason(const Settings& s) {
    const bool table = s.problem == ProblemKind::kTable;
    for (std::size_t i = 0; i < s.actions.size(); ++i)
        if (s.actions[i].marked && s.problem != ProblemKind::kTokens)
            return "action." + std::to_string(i) +
                   ".marked: only a token sequence marks tokens (problem = tokens)";
    for (const SettingsField& f : kSettingsFields) {
        if (!f.episodes_only) continue;
        const bool token_only = f.key == "policy_form" || f.key.starts_with("outcome");
        if (is_episodic(s) && !(table && token_only)) continue;
        if (f.get(s) != field_default(f))
            return std::string(f.key) + ": only for " +
                   (token_only ? "token sequences (problem = tokens)"
                               : "episodes (problem = tokens or table)");
    }
    return {};
}

}  // namespace

std::string episode_settings_reason(const Settings& s) {
    if (std::string e = unused_reason(s); !e.empty()) return e;
    if (s.problem != ProblemKind::kTokens)
        for (std::size_t i = 0; i < s.actions.size(); ++i)
            if (!s.actions[i].by_position.empty())
                return "actions[" + std::to_string(i) +
                       "].by_position: only for token sequences (problem = tokens)";
    if (!is_episodic(s)) {
        if (sequence_only(s.estimator.baseline))
            return "baseline: " + std::string(to_string(s.estimator.baseline)) +
                   " needs an episode (problem = tokens or table)";
        return {};
    }
    if (s.arm_mean_sd > 0.0) return "arm_mean_sd: per-run arm means are for bandits";
    if (s.problem == ProblemKind::kTokens) return token_reason(s);
    if (!s.table) return "table: missing (problem = table needs its states and moves)";
    return check_episode_table(*s.table, s.actions.size());
}

TokenSequenceSpec token_sequence_spec(const Settings& s) {
    TokenSequenceSpec spec;
    for (std::size_t i = 0; i < s.actions.size(); ++i) {
        spec.tokens.push_back(s.actions[i].name);
        spec.token_rewards.push_back(s.actions[i].reward);
        if (s.actions[i].marked) spec.marked.push_back(static_cast<std::uint32_t>(i));
    }
    const bool by_position =
        std::any_of(s.actions.begin(), s.actions.end(),
                    [](const ActionSpec& a) { return !a.by_position.empty(); });
    if (by_position) {
        // One reward per (position, token), the token's own where no position names it.
        const std::size_t V = s.actions.size();
        std::vector<RewardModel> all;
        for (int t = 0; t < s.length; ++t)
            all.insert(all.end(), spec.token_rewards.begin(), spec.token_rewards.end());
        // A shorter sequence (the horizon table's) never reaches the later positions.
        for (std::size_t i = 0; i < V; ++i)
            for (const PositionReward& p : s.actions[i].by_position)
                if (p.position >= 1 && p.position <= s.length)
                    all[static_cast<std::size_t>(p.position - 1) * V + i] = p.reward;
        spec.token_rewards = std::move(all);
    }
    spec.length = s.length;
    spec.form = s.policy_form;
    spec.discount = s.discount;
    spec.outcome = s.outcome;
    spec.outcome_count = s.outcome_count;
    spec.outcome_reward = s.outcome_reward;
    spec.outcome_else = s.outcome_else;
    return spec;
}

EpisodeProblem make_episode_problem(const Settings& s) {
    EpisodeProblem p;
    if (s.problem == ProblemKind::kTokens) {
        p.model = std::make_unique<TokenSequenceModel>(token_sequence_spec(s));
    } else {
        EpisodeTableSpec table = *s.table;
        table.actions.clear();
        for (const ActionSpec& a : s.actions)
            table.actions.push_back(a.name);
        // One horizon and one discount for every problem: the settings' own.
        table.step_cap = s.length;
        table.discount = s.discount;
        p.model = std::make_unique<EpisodeTableModel>(std::move(table));
    }
    const std::size_t blocks = p.model->blocks();
    const auto repeat = [&](const std::vector<double>& one) {
        std::vector<double> all;
        all.reserve(blocks * one.size());
        for (std::size_t b = 0; b < blocks; ++b)
            all.insert(all.end(), one.begin(), one.end());
        return make_episode_policy(s.parameterization, s.actions.size(), std::move(all));
    };
    p.initial = repeat(s.init_logits);
    p.reference_log_probs =
        episode_log_probs(s.reference_logits.empty() ? p.initial : repeat(s.reference_logits));
    return p;
}

Settings settings_at_length(const Settings& s, int T) {
    Settings out = s;
    out.length = T;
    if (out.outcome == OutcomeRule::kAtLeast) out.outcome_count = std::min(out.outcome_count, T);
    for (ActionSpec& a : out.actions)
        std::erase_if(a.by_position, [T](const PositionReward& p) { return p.position > T; });
    return out;
}

}  // namespace rl::core
