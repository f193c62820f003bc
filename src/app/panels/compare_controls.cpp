#include "app/panels/compare_controls.hpp"

#include <imgui.h>

#include "app/panels/estimator_controls.hpp"
#include "app/panels/widgets.hpp"
#include "app/views/compare_plots.hpp"

namespace rl::app {

void CompareControls::draw(control::Lab& lab, const live::Results& a, const live::Results& b,
                           MessageLog& log) {
    if (!lab.comparing()) return;
    if (m_draft_version != lab.b_settings_version()) {
        m_draft = lab.settings_b();
        m_draft_version = lab.b_settings_version();
    }
    ImGui::PushID("compare B");
    section(("Estimator " + config_name('B', b, a)).c_str());
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("B runs A's actions, policy, runs and seed; only these settings differ.");
    ImGui::PopTextWrapPos();
    const FieldEdit edit = draw_estimator_controls(m_entry, m_draft);
    std::string error = edit.refusal;
    if (error.empty() && edit.changed) error = lab.apply_b(m_draft.estimator);
    if (!error.empty()) {
        log.add(live::Level::kError, "B: " + error + " (kept the previous value)",
                ImGui::GetTime());
        m_draft = lab.settings_b();
    }
    ImGui::PopID();
}

std::string estimator_title(const live::Results& a, const live::Results* b) {
    return b ? "Estimator " + config_name('A', a, *b) : "Estimator";
}

}  // namespace rl::app
