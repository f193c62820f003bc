#include "app/panels/compare.hpp"

#include <imgui.h>

#include <stdexcept>
#include <utility>

#include "app/panels/controls_panel.hpp"
#include "app/panels/estimator_controls.hpp"
#include "app/panels/widgets.hpp"
#include "app/views/compare_plots.hpp"
#include "core/compare_settings.hpp"
#include "live/paired_ticks.hpp"

namespace rl::app {

CompareMode::CompareMode(live::RunnerOptions options) : m_options(std::move(options)) {}

// B's worker stops here, before the window and its GL context go.
CompareMode::~CompareMode() = default;

void CompareMode::start(live::Runner& a, ControlsPanel& controls, const core::Settings& b,
                        MessageLog& log) {
    try {
        m_b = std::make_unique<live::Runner>(b, m_options);
    } catch (const std::exception& e) {
        log.add(live::Level::kError, std::string("Compare mode: B cannot run: ") + e.what(),
                ImGui::GetTime());
        return;
    }
    m_draft = b.estimator;
    m_seen_edits = controls.accepted_edits();
    a.reset();
    m_b->set_playing(a.playing());
    controls.drive_also(m_b.get());
    log.add(live::Level::kInfo,
            "Compare mode: A and B start again from step 0 on the same seed (F6 to leave).",
            ImGui::GetTime());
}

void CompareMode::stop(ControlsPanel& controls, MessageLog& log) {
    if (!m_b) return;
    controls.drive_also(nullptr);
    m_b.reset();
    log.add(live::Level::kInfo, "Compare mode off.", ImGui::GetTime());
}

void CompareMode::toggle(live::Runner& a, ControlsPanel& controls, MessageLog& log) {
    if (m_b) {
        stop(controls, log);
        return;
    }
    const core::Settings settings = a.settings();
    start(a, controls,
          core::with_estimator(settings, core::default_compare_estimator(settings.estimator)), log);
}

void CompareMode::follow(live::Runner& a, ControlsPanel& controls, MessageLog& log) {
    if (!m_b || controls.accepted_edits() == m_seen_edits) return;
    m_seen_edits = controls.accepted_edits();
    const core::Settings next = core::with_estimator(a.settings(), m_b->settings().estimator);
    if (std::string error = m_b->apply(next); !error.empty()) {
        // B must never run a problem other than A's: without this edit it would.
        log.add(live::Level::kError, "B cannot take that change (" + error + ")", ImGui::GetTime());
        stop(controls, log);
    }
}

void CompareMode::tick(live::Runner& a, bool lockstep) {
    live::tick_pair(a, m_b.get(), lockstep);
}

void CompareMode::take_messages(MessageLog& log, double now) {
    if (!m_b) return;
    for (live::Message& m : m_b->take_messages())
        log.add(m.level, "B: " + m.text, now);
}

std::shared_ptr<const live::Results> CompareMode::results() const {
    return m_b ? m_b->results() : nullptr;
}

std::string CompareMode::a_title(const live::Results& a, const live::Results* b) {
    return b ? "Estimator " + config_name('A', a, *b) : "Estimator";
}

void CompareMode::draw_controls(live::Runner& a, const live::Results& ra, const live::Results& rb,
                                MessageLog& log) {
    if (!m_b) return;
    ImGui::PushID("compare B");
    section(("Estimator " + config_name('B', rb, ra)).c_str());
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("B runs A's actions, policy, runs and seed; only these settings differ.");
    ImGui::PopTextWrapPos();
    core::Settings draft = core::with_estimator(a.settings(), m_draft);
    const FieldEdit edit = draw_estimator_controls(draft);
    std::string error = edit.refusal;
    if (edit.changed) error = m_b->apply(draft);
    if (!error.empty()) {
        log.add(live::Level::kError, "B: " + error + " (kept the previous value)",
                ImGui::GetTime());
        m_draft = m_b->settings().estimator;
    } else if (edit.changed) {
        m_draft = draft.estimator;
    }
    ImGui::PopID();
}

}  // namespace rl::app
