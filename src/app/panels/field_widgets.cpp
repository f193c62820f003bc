#include "app/panels/field_widgets.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdint>
#include <span>

#include "app/panels/ui_probe.hpp"
#include "app/panels/widgets.hpp"

namespace rl::app {

namespace {

using core::FieldKind;
using core::FieldValue;
using core::FieldWidget;

float label_width() {
    return ImGui::GetFontSize() * 9.0f;
}

void set_width(float width) {
    if (width > 0.0f) {
        ImGui::SetNextItemWidth(width);
    } else {
        next_width();
    }
}

// A combo over a field's choices, each with its own tooltip; true when another was picked.
bool choice_combo(const char* label, std::span<const core::ChoiceText> choices, std::string& name,
                  ImGuiComboFlags flags = 0) {
    const auto current = std::find_if(choices.begin(), choices.end(),
                                      [&](const core::ChoiceText& c) { return c.name == name; });
    const std::string preview = current == choices.end() ? name : std::string(current->label);
    bool picked = false;
    if (ImGui::BeginCombo(label, preview.c_str(), flags)) {
        for (const core::ChoiceText& c : choices) {
            const bool selected = c.name == name;
            const std::string text(c.label);
            if (ImGui::Selectable(text.c_str(), selected) && !selected) {
                name = std::string(c.name);
                picked = true;
            }
            if (selected) ImGui::SetItemDefaultFocus();
            const std::string tip(c.tooltip);
            tooltip(tip.c_str());
        }
        ImGui::EndCombo();
    }
    return picked;
}

// The widget for one value of the kinds both tables have; true when an edit finished.
bool value_widget(const char* label, FieldKind kind, const core::FieldRange& range,
                  const FieldWidget& widget, std::span<const core::ChoiceText> choices,
                  FieldValue& value) {
    const bool slider = widget.kind != FieldWidget::Kind::kInput;
    const ImGuiSliderFlags slider_flags =
        ImGuiSliderFlags_AlwaysClamp |
        (widget.kind == FieldWidget::Kind::kLogSlider ? ImGuiSliderFlags_Logarithmic : 0);
    switch (kind) {
        case FieldKind::kWhole: {
            int v = static_cast<int>(std::get<double>(value));
            bool done = false;
            if (slider) {
                done = ImGui::SliderInt(label, &v, static_cast<int>(widget.lo),
                                        static_cast<int>(widget.hi), "%d", slider_flags);
            } else {
                done = input_int(label, &v);
            }
            value = static_cast<double>(v);
            return done;
        }
        case FieldKind::kNumber: {
            double v = std::get<double>(value);
            bool done = false;
            if (slider) {
                done = ImGui::SliderScalar(label, ImGuiDataType_Double, &v, &widget.lo, &widget.hi,
                                           "%.4g", slider_flags);
            } else {
                done = input_number(label, &v, "%.4g");
            }
            value = v;
            return done;
        }
        case FieldKind::kSeed: {
            std::uint64_t v = std::get<std::uint64_t>(value);
            ImGui::InputScalar(label, ImGuiDataType_U64, &v);
            value = v;
            return ImGui::IsItemDeactivatedAfterEdit();
        }
        case FieldKind::kChoice:
            return choice_combo(label, choices, std::get<std::string>(value),
                                ImGuiComboFlags_NoArrowButton * (label[0] == '#'));
        case FieldKind::kText: {
            ImGui::InputText(label, &std::get<std::string>(value));
            return ImGui::IsItemDeactivatedAfterEdit();
        }
        case FieldKind::kList:
            break;
    }
    (void)range;
    return false;
}

}  // namespace

void next_width() {
    ImGui::SetNextItemWidth(-label_width());
}

FieldEdit field_widget(core::Settings& draft, const core::SettingsField& f, const char* id,
                       float width) {
    FieldEdit edit;
    const std::string label = id != nullptr ? std::string(id) : std::string(f.label);
    FieldValue value = f.get(draft);
    set_width(width);
    const bool done = value_widget(label.c_str(), f.kind, f.range, f.widget, f.choices, value);
    probe_item("field/" + std::string(f.key));
    const std::string tip(f.tooltip);
    tooltip(tip.c_str());
    if (!done) return edit;
    edit.refusal = core::check_field(f, draft, value);
    if (edit.refusal.empty()) {
        f.set(draft, value);
        edit.changed = true;
    }
    return edit;
}

FieldEdit action_field_widget(core::Settings& draft, const core::ActionField& f, std::size_t action,
                              float width, const core::FieldValue* shown) {
    FieldEdit edit;
    const std::string id = "##" + std::string(f.key);
    FieldValue value = shown != nullptr ? *shown : f.get(draft, action);
    ImGui::SetNextItemWidth(width);
    const bool done = value_widget(id.c_str(), f.kind, f.range, {}, f.choices, value);
    probe_item("action/" + std::to_string(action) + "/" + std::string(f.key));
    const std::string tip(f.tooltip);
    tooltip(tip.c_str());
    if (!done) return edit;
    const std::string where = "action." + std::to_string(action) + "." + std::string(f.key);
    edit.refusal = core::check_action_field(f, draft, action, value, where);
    if (edit.refusal.empty()) {
        f.set(draft, action, value);
        edit.changed = true;
    }
    return edit;
}

}  // namespace rl::app
