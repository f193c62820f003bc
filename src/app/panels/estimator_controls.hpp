#pragma once

#include <imgui.h>

#include <array>

#include "core/estimator.hpp"

// The estimator's widgets (K, baseline and its settings, learning rate, KL, entropy, clipping),
// shared by the controls panel's own section and compare mode's section for configuration B.
namespace rl::app {

// Draws them over `e`. Returns true when an edit was finished and should be applied.
bool draw_estimator_controls(core::EstimatorSettings& e);

// Widgets fill the panel and leave a fixed column for their labels, so columns line up.
void next_width();

// A combo over enum values; returns true when the choice changed.
template <typename Enum, std::size_t Count>
bool enum_combo(const char* label, Enum& value, const std::array<Enum, Count>& choices,
                const char* (*name)(Enum), ImGuiComboFlags flags = 0) {
    bool changed = false;
    if (ImGui::BeginCombo(label, name(value), flags)) {
        for (Enum choice : choices) {
            const bool selected = choice == value;
            if (ImGui::Selectable(name(choice), selected)) {
                changed = choice != value;
                value = choice;
            }
            if (selected) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    return changed;
}

}  // namespace rl::app
