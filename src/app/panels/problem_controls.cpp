#include "app/panels/problem_controls.hpp"

#include <imgui.h>

#include <cstdint>
#include <string>

namespace rl::app {

namespace {

// The table as a student reads it: each state's moves, one line each.
void show_table(const core::EpisodeTableSpec& table) {
    ImGui::TextDisabled("%zu states, %zu moves (edit them in the session file)",
                        table.states.size(), table.transitions.size());
    if (!ImGui::TreeNode("moves")) return;
    for (const core::TableTransition& t : table.transitions) {
        const auto name = [&](std::uint32_t x) {
            return x < table.states.size() ? table.states[x].c_str() : "?";
        };
        const char* action =
            t.action < table.actions.size() ? table.actions[t.action].c_str() : "?";
        ImGui::Text("%s, %s -> %s  (p %.3g, mean reward %.3g)", name(t.state), action, name(t.next),
                    t.prob, t.reward.expected());
    }
    ImGui::TreePop();
}

}  // namespace

FieldEdit draw_problem_controls(FieldEntry& entry, core::Settings& draft) {
    FieldEdits edits{entry, draft};
    const auto show = [&](const core::SettingsField& f) { edits.show(f); };
    show(core::field("problem"));
    if (!core::is_episodic(draft)) return edits.edit;
    show(core::field("length"));
    if (draft.problem == core::ProblemKind::kTokens) {
        show(core::field("policy_form"));
        show(core::field("outcome"));
        if (draft.outcome == core::OutcomeRule::kAtLeast) show(core::field("outcome_count"));
        if (draft.outcome != core::OutcomeRule::kNone) {
            show(core::field("outcome_reward"));
            show(core::field("outcome_else"));
        }
    }
    show(core::field("discount"));
    if (draft.problem == core::ProblemKind::kTable && draft.table) show_table(*draft.table);
    return edits.edit;
}

}  // namespace rl::app
