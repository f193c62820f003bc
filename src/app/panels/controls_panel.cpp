#include "app/panels/controls_panel.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "app/panels/estimator_controls.hpp"
#include "app/panels/field_widgets.hpp"
#include "app/panels/problem_controls.hpp"
#include "app/panels/ui_probe.hpp"
#include "app/panels/widgets.hpp"
#include "core/settings_edit.hpp"

namespace rl::app {

namespace {

constexpr int kMaxGuiActions = 256;

}  // namespace

ControlsPanel::ControlsPanel()
    : m_assets(io::find_asset_dir()),
      m_presets(io::list_presets(m_assets)),
      m_episode_presets(io::list_episode_presets(m_assets)) {}

void ControlsPanel::refresh_draft(const control::Lab& lab) {
    if (lab.settings_version() == m_draft_version) return;
    m_draft = lab.settings();
    m_draft_version = lab.settings_version();
}

void ControlsPanel::commit(control::Lab& lab, MessageLog& log) {
    if (std::string error = lab.apply(m_draft); !error.empty()) {
        log.add(live::Level::kError, error + " (kept the previous value)", ImGui::GetTime());
        m_draft_version = ~std::uint64_t{0};
        refresh_draft(lab);
        return;
    }
    // The lab holds the draft now: no need to copy it back.
    m_draft_version = lab.settings_version();
}

void ControlsPanel::commit_edit(control::Lab& lab, MessageLog& log, const std::string& edit_error) {
    if (!edit_error.empty()) {
        log.add(live::Level::kError, edit_error + " (kept the previous value)", ImGui::GetTime());
        m_draft_version = ~std::uint64_t{0};
        refresh_draft(lab);
        return;
    }
    commit(lab, log);
}

void ControlsPanel::commit_field(control::Lab& lab, MessageLog& log, const FieldEdit& edit) {
    if (!edit.refusal.empty()) {
        commit_edit(lab, log, edit.refusal);
    } else if (edit.changed) {
        commit(lab, log);
    }
}

void ControlsPanel::draw(control::Lab& lab, const live::Results& results, MessageLog& log,
                         const std::function<void()>& after_estimator) {
    refresh_draft(lab);
    draw_lesson();
    draw_transport(lab, results, log);
    // An episode's fields come before its tokens; a bandit's one choice waits at the bottom, so
    // the controls a one-step lesson uses keep their places.
    if (core::is_episodic(m_draft)) {
        section("Problem");
        commit_field(lab, log, draw_problem_controls(m_entry, m_draft));
    }
    draw_actions(lab, results, log);
    draw_estimator(lab, log);
    if (after_estimator) after_estimator();
    draw_run(lab, log);
}

void ControlsPanel::draw_lesson() {
    section("Lesson");
    next_width();
    const bool open =
        ImGui::BeginCombo("preset", m_draft.preset.empty() ? "(custom)" : m_draft.preset.c_str(),
                          ImGuiComboFlags_HeightLargest);
    probe_item("preset");
    if (open) {
        for (const auto* list : {&m_presets, &m_episode_presets}) {
            if (list == &m_episode_presets && !list->empty()) {
                ImGui::Separator();
                ImGui::TextDisabled("Sequences and episodes");
            }
            for (const io::PresetFile& p : *list) {
                const bool selected = p.name == m_draft.preset;
                // The app loads it: a preset brings its guided lesson along.
                if (ImGui::Selectable(p.name.c_str(), selected)) m_preset_request = p.name;
                probe_item("preset/" + p.name);
                if (selected) ImGui::SetItemDefaultFocus();
            }
        }
        ImGui::EndCombo();
    }
    tooltip("Load one of the lessons; each walks through a worked example, a step at a time.");
    if (!m_draft.title.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(m_draft.title.c_str());
        ImGui::PopTextWrapPos();
    }
    if (!m_draft.description.empty() && ImGui::TreeNode("About this lesson")) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(m_draft.description.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TreePop();
    }
}

void ControlsPanel::draw_transport(control::Lab& lab, const live::Results& results,
                                   MessageLog& log) {
    section("Run");
    control::Transport& transport = lab.transport();
    const float unit = ImGui::GetFontSize();
    if (ImGui::Button(transport.playing() ? "Pause" : "Play", {unit * 5.0f, 0.0f}))
        transport.toggle();
    probe_item("Play");
    tooltip("Start or stop training (Space).");
    ImGui::SameLine();
    if (ImGui::Button("Step", {unit * 4.0f, 0.0f})) transport.step();
    probe_item("Step");
    tooltip(
        "Pause and take exactly one update step; the This step panel shows its arithmetic "
        "(S or the right arrow).");
    ImGui::SameLine();
    if (ImGui::Button("Reset", {unit * 4.0f, 0.0f})) transport.reset();
    probe_item("Reset");
    tooltip("Start every run again from the initial policy (R).");
    ImGui::SameLine();
    ImGui::Text("step %d / %d", results.steps_done, results.settings.steps);

    // The pace has no settings field (it is no part of a session), but is typed into alike.
    live::Pace pace = transport.pace();
    const auto pace_slider = [&](const char* label, double& value, double lo, double hi, bool whole,
                                 const char* format) {
        std::string typed;
        next_width();
        const SliderEdit edit =
            slider_entry(m_entry, label, value, lo, hi, whole, true, typed, format);
        if (edit == SliderEdit::kTyped) {
            if (std::string error = read_typed(label, typed, lo, hi, whole, value);
                !error.empty()) {
                log.add(live::Level::kError, error + " (kept the previous value)",
                        ImGui::GetTime());
                return false;
            }
        }
        return edit != SliderEdit::kNone;
    };
    if (pace_slider("speed", pace.speed, 0.02, 1.0, false, "%.2fx")) transport.set_pace(pace);
    probe_item("speed");
    tooltip(
        "Slow motion: at 0.1x only every tenth frame takes steps, so a class can follow. "
        "Ctrl+click to type a value from 0.02 to 1.");
    double per_frame = pace.steps_per_frame;
    if (pace_slider("steps/frame", per_frame, 1, 1000, true, "%d")) {
        pace.steps_per_frame = static_cast<int>(per_frame);
        transport.set_pace(pace);
    }
    probe_item("steps/frame");
    tooltip(
        "How many update steps each displayed frame advances while playing. Ctrl+click to type "
        "a whole number from 1 to 1000.");
}

void ControlsPanel::draw_actions(control::Lab& lab, const live::Results& results, MessageLog& log) {
    section("Actions and rewards");
    const bool show_reference = m_draft.estimator.kl_beta > 0.0 || m_edit_reference;
    const int columns = show_reference ? 7 : 6;
    const int rows = static_cast<int>(m_draft.actions.size());
    const float row_height = ImGui::GetFrameHeightWithSpacing();
    const float height = row_height * (static_cast<float>(std::min(rows, 8)) + 2.2f);
    // Each column needs room for its widest usual entry ("maybe", "gaussian", "0.300"); when the
    // panel is narrower than their sum (large type), the table scrolls sideways instead of
    // cutting every cell to a letter or two.
    const float unit = ImGui::GetFontSize();
    const float min_widths[] = {4.0f * unit, 4.6f * unit, 5.0f * unit,
                                3.2f * unit, 3.2f * unit, 3.2f * unit};
    float needed = ImGui::GetFrameHeight();
    for (int c = 0; c < columns - 1; ++c)
        needed += min_widths[c] + 2.0f * ImGui::GetStyle().CellPadding.x;
    const bool scroll_x = ImGui::GetContentRegionAvail().x < needed;
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
        (scroll_x ? ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit
                  : ImGuiTableFlags_SizingStretchProp);
    const ImGuiTableColumnFlags sizing =
        scroll_x ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch;
    const auto column_size = [&](int c, float weight) { return scroll_x ? min_widths[c] : weight; };
    bool changed = false;
    std::size_t remove = m_draft.actions.size();
    // Not per row, and only after an edit: each is a softmax over every action. Comparing the
    // logits costs a fraction of the exponentials.
    if (m_initial_from != m_draft.init_logits) {
        m_initial_probs = core::initial_probabilities(m_draft);
        m_initial_from = m_draft.init_logits;
    }
    if (show_reference) {
        const std::vector<double>& from =
            m_draft.reference_logits.empty() ? m_draft.init_logits : m_draft.reference_logits;
        if (m_reference_from != from) {
            m_reference_probs = core::reference_probabilities(m_draft);
            m_reference_from = from;
        }
    }
    if (ImGui::BeginTable("actions", columns, flags, {0.0f, height})) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("name", sizing, column_size(0, 1.3f));
        ImGui::TableSetupColumn("reward", sizing, column_size(1, 1.2f));
        ImGui::TableSetupColumn("values", sizing, column_size(2, 2.2f));
        ImGui::TableSetupColumn(m_show_logits ? "logit 0" : "p start", sizing,
                                column_size(3, 1.0f));
        ImGui::TableSetupColumn("p now", sizing, column_size(4, 0.8f));
        if (show_reference) ImGui::TableSetupColumn("p ref", sizing, column_size(5, 1.0f));
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFrameHeight());
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(rows);
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
                draw_action_row(static_cast<std::size_t>(i), results, show_reference, changed,
                                remove);
        ImGui::EndTable();
    }
    if (remove < m_draft.actions.size()) {
        commit_edit(lab, log, core::remove_action(m_draft, remove));
    } else if (changed) {
        commit_edit(lab, log, m_pending_error);
    }
    m_pending_error.clear();

    ImGui::BeginDisabled(rows >= kMaxGuiActions);
    if (ImGui::Button("Add action")) commit_edit(lab, log, core::add_action(m_draft));
    ImGui::EndDisabled();
    tooltip("Add an action with reward 0; the runs start over because the problem changed.");
    ImGui::SameLine();
    ImGui::Checkbox("edit logits", &m_show_logits);
    tooltip("Set the initial policy by its logits instead of its probabilities.");
    ImGui::SameLine();
    ImGui::Checkbox("reference", &m_edit_reference);
    tooltip(
        "Show the reference policy the KL term pulls towards (the initial policy unless "
        "edited).");
}

void ControlsPanel::draw_action_row(std::size_t i, const live::Results& results,
                                    bool show_reference, bool& changed, std::size_t& remove) {
    ImGui::PushID(static_cast<int>(i));
    ImGui::TableNextRow();
    const auto cell = [&](const core::ActionField& f, float width,
                          const core::FieldValue* shown = nullptr) {
        FieldEdit edit = action_field_widget(m_entry, m_draft, f, i, width, shown);
        changed |= edit.changed;
        if (!edit.refusal.empty()) {
            m_pending_error = std::move(edit.refusal);
            changed = true;
        }
    };

    ImGui::TableNextColumn();
    cell(core::action_field("name"), -1.0f);
    ImGui::TableNextColumn();
    cell(core::action_field("reward"), -1.0f);

    // The reward model's own numbers, side by side.
    ImGui::TableNextColumn();
    const float spacing = ImGui::GetStyle().ItemInnerSpacing.x;
    const float full = ImGui::GetContentRegionAvail().x;
    int parts = 0;
    for (const core::ActionField& f : core::kActionFields)
        parts += f.reward_kinds != 0 && core::action_has_field(f, m_draft.actions[i].reward.kind);
    const float part_width =
        (full - spacing * static_cast<float>(parts - 1)) / static_cast<float>(std::max(parts, 1));
    bool first = true;
    for (const core::ActionField& f : core::kActionFields) {
        if (f.reward_kinds == 0 || !core::action_has_field(f, m_draft.actions[i].reward.kind))
            continue;
        if (!first) ImGui::SameLine(0.0f, spacing);
        first = false;
        cell(f, part_width);
    }

    ImGui::TableNextColumn();
    if (m_show_logits) {
        const bool pinned = m_draft.parameterization == core::Parameterization::kPinnedLast &&
                            i + 1 == m_draft.actions.size();
        ImGui::BeginDisabled(pinned);
        cell(core::action_field("logit"), -1.0f);
        ImGui::EndDisabled();
        if (pinned) tooltip("The last logit is pinned at 0 in this parameterisation.");
    } else {
        const core::FieldValue p = m_initial_probs[i];
        cell(core::action_field("prob"), -1.0f, &p);
    }

    ImGui::TableNextColumn();
    // Tracked actions are sorted (all of them, in order, up to 256), so a binary search finds
    // this row's summary without a scan per row.
    const auto& tracked = results.tracked_actions;
    const auto it = std::lower_bound(tracked.begin(), tracked.end(), i);
    const auto t = static_cast<std::size_t>(it - tracked.begin());
    if (it != tracked.end() && *it == i && t < results.median_probs.size()) {
        ImGui::Text("%.3f", results.median_probs[t]);
        tooltip("The probability now: median across the runs.");
    }

    if (show_reference) {
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1.0f);
        std::string typed;
        if (text_entry(m_entry, "##ref", format_number(m_reference_probs[i]), typed)) {
            // Read whole, as the initial probability's column is; the edit checks the range.
            const std::string where = "action." + std::to_string(i) + ".reference prob";
            core::FieldValue ref;
            m_pending_error =
                core::parse_action_field_text(core::action_field("prob"), typed, ref, where);
            if (m_pending_error.empty())
                m_pending_error =
                    core::set_reference_probability(m_draft, i, std::get<double>(ref));
            changed = true;
        }
        tooltip("Reference policy the KL anchor pulls towards; edits keep the total at 1.");
    }

    ImGui::TableNextColumn();
    ImGui::BeginDisabled(m_draft.actions.size() <= 2);
    if (ImGui::Button("x")) remove = i;
    ImGui::EndDisabled();
    tooltip("Remove this action (at least two remain).");
    ImGui::PopID();
}

void ControlsPanel::draw_estimator(control::Lab& lab, MessageLog& log) {
    section(m_estimator_title.c_str());
    commit_field(lab, log, draw_estimator_controls(m_entry, m_draft));
    commit_field(lab, log, field_widget(m_entry, m_draft, core::field("parameterization")));
}

void ControlsPanel::draw_run(control::Lab& lab, MessageLog& log) {
    section("Experiment");
    for (std::string_view key : {"runs", "M", "steps", "seed"})
        commit_field(lab, log, field_widget(m_entry, m_draft, *core::find_field(key)));
    if (!core::is_episodic(m_draft))
        commit_field(lab, log, draw_problem_controls(m_entry, m_draft));
}

}  // namespace rl::app
