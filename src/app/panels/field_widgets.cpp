#include "app/panels/field_widgets.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

#include "app/panels/ui_probe.hpp"
#include "app/panels/widgets.hpp"

namespace rl::app {

namespace {

using core::FieldKind;
using core::FieldValue;
using core::FieldWidget;

// Long enough for the focus request to be served: ImGui hands it over on a later frame.
constexpr int kFocusFrames = 4;

// Labels get nine characters' room, but never so much that the box left of them cannot show its
// value: in a narrow panel (presenter type at 1024 wide) the box keeps at least 55% of the row.
float label_width() {
    return std::min(ImGui::GetFontSize() * 9.0f, ImGui::GetContentRegionAvail().x * 0.45f);
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

// What a box shows of a value while nobody types into it: numbers compact, whole numbers whole.
std::string shown_text(FieldKind kind, const FieldValue& value) {
    if (kind == FieldKind::kNumber) return format_number(std::get<double>(value));
    return core::field_text(value);
}

// What one field's widget came to: a value picked or dragged, or text typed (still to be read).
enum class Entered { kNothing, kValue, kText };

Entered value_widget(FieldEntry& entry, const char* label, FieldKind kind,
                     const FieldWidget& widget, std::span<const core::ChoiceText> choices,
                     FieldValue& value, std::string& typed) {
    if (kind == FieldKind::kChoice) {
        const ImGuiComboFlags flags = ImGuiComboFlags_NoArrowButton * (label[0] == '#');
        return choice_combo(label, choices, std::get<std::string>(value), flags)
                   ? Entered::kValue
                   : Entered::kNothing;
    }
    const bool number = kind == FieldKind::kWhole || kind == FieldKind::kNumber;
    if (number && widget.kind != FieldWidget::Kind::kInput) {
        double v = std::get<double>(value);
        const SliderEdit edit =
            slider_entry(entry, label, v, widget.lo, widget.hi, kind == FieldKind::kWhole,
                         widget.kind == FieldWidget::Kind::kLogSlider, typed);
        value = v;
        if (edit == SliderEdit::kDragged) return Entered::kValue;
        return edit == SliderEdit::kTyped ? Entered::kText : Entered::kNothing;
    }
    return text_entry(entry, label, shown_text(kind, value), typed) ? Entered::kText
                                                                    : Entered::kNothing;
}

// The field's tooltip; a slider's says what can be typed, which may reach past its ends.
std::string field_tooltip(std::string_view tip, FieldKind kind, const core::FieldRange& range,
                          const FieldWidget& widget) {
    std::string text(tip);
    if (widget.kind == FieldWidget::Kind::kInput) return text;
    text += " Ctrl+click to type ";
    text += core::field_values_text(kind, range, {});
    if (widget.lo > range.lo || widget.hi < range.hi) {
        text += "; the slider spans ";
        text += format_number(widget.lo);
        text += " to ";
        text += format_number(widget.hi);
    }
    text += ".";
    return text;
}

}  // namespace

void next_width() {
    ImGui::SetNextItemWidth(-label_width());
}

bool text_entry(FieldEntry& entry, const char* label, const std::string& shown,
                std::string& typed) {
    const ImGuiID id = ImGui::GetID(label);
    const bool mine = entry.id == id;
    std::string text = mine ? entry.text : shown;
    ImGui::InputText(label, &text, ImGuiInputTextFlags_AutoSelectAll);
    if (ImGui::IsItemActive()) {
        entry.id = id;
        entry.text = std::move(text);
        return false;
    }
    if (!mine) return false;
    // It had the keyboard when last drawn and has let go: the entry ended. Escape gave the text
    // back as it was, which is no edit.
    entry.id = 0;
    entry.text.clear();
    if (text == shown) return false;
    typed = std::move(text);
    return true;
}

SliderEdit slider_entry(FieldEntry& entry, const char* label, double& value, double lo, double hi,
                        bool whole, bool logarithmic, std::string& typed, const char* format) {
    const ImGuiID slider = ImGui::GetID(label);
    if (entry.slider == slider) {
        // Its own ID: the slider's may still be the active one for a frame.
        ImGui::PushID("typed");
        if (std::exchange(entry.focus, false)) ImGui::SetKeyboardFocusHere();
        const std::string shown = whole ? core::field_text(value) : format_number(value);
        const bool done = text_entry(entry, label, shown, typed);
        const bool active = ImGui::IsItemActive();
        ImGui::PopID();
        if (active) {
            entry.wait_frames = 0;
        } else if (entry.wait_frames > 0) {
            --entry.wait_frames;
        } else {
            entry.slider = 0;  // ended, or never took the keyboard
        }
        return done ? SliderEdit::kTyped : SliderEdit::kNone;
    }
    // ImGui's own typed entry would read a prefix and clamp to the slider's ends.
    const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoInput |
                                   (logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
    bool dragged = false;
    if (whole) {
        int v = static_cast<int>(value);
        dragged = ImGui::SliderInt(label, &v, static_cast<int>(lo), static_cast<int>(hi),
                                   format != nullptr ? format : "%d", flags);
        if (dragged) value = v;
    } else {
        dragged = ImGui::SliderScalar(label, ImGuiDataType_Double, &value, &lo, &hi,
                                      format != nullptr ? format : "%.4g", flags);
    }
    if (ImGui::IsItemActivated() && ImGui::GetIO().KeyCtrl) {
        // Ctrl+click asks for a typed value: the click's position is no value.
        entry.slider = slider;
        entry.focus = true;
        entry.wait_frames = kFocusFrames;
        return SliderEdit::kNone;
    }
    return dragged ? SliderEdit::kDragged : SliderEdit::kNone;
}

std::string read_typed(std::string_view name, std::string_view text, double lo, double hi,
                       bool whole, double& out) {
    double x = 0.0;
    const bool fits =
        core::parse_number(text, x) && x >= lo && x <= hi && (!whole || x == std::floor(x));
    if (fits) {
        out = x;
        return {};
    }
    std::string message(name);
    message += ": ";
    message += core::range_reason({lo, hi}, whole);
    return message;
}

FieldEdit field_widget(FieldEntry& entry, core::Settings& draft, const core::SettingsField& f,
                       const char* id, float width) {
    FieldEdit edit;
    const std::string label = id != nullptr ? std::string(id) : std::string(f.label);
    FieldValue value = f.get(draft);
    std::string typed;
    set_width(width);
    const std::span<const core::ChoiceText> choices = core::offered_choices(f, draft);
    const Entered entered =
        value_widget(entry, label.c_str(), f.kind, f.widget, choices, value, typed);
    probe_item("field/" + std::string(f.key));
    tooltip(field_tooltip(f.tooltip, f.kind, f.range, f.widget).c_str());
    if (entered == Entered::kNothing) return edit;
    if (entered == Entered::kText) edit.refusal = core::parse_field_text(f, typed, value);
    if (edit.refusal.empty()) edit.refusal = core::check_field(f, draft, value);
    if (edit.refusal.empty()) {
        f.set(draft, value);
        edit.changed = true;
    }
    return edit;
}

FieldEdit action_field_widget(FieldEntry& entry, core::Settings& draft, const core::ActionField& f,
                              std::size_t action, float width, const core::FieldValue* shown) {
    FieldEdit edit;
    const std::string id = "##" + std::string(f.key);
    FieldValue value = shown != nullptr ? *shown : f.get(draft, action);
    std::string typed;
    ImGui::SetNextItemWidth(width);
    const Entered entered = value_widget(entry, id.c_str(), f.kind, {}, f.choices, value, typed);
    probe_item("action/" + std::to_string(action) + "/" + std::string(f.key));
    const std::string tip(f.tooltip);
    tooltip(tip.c_str());
    if (entered == Entered::kNothing) return edit;
    const std::string where = "action." + std::to_string(action) + "." + std::string(f.key);
    if (entered == Entered::kText)
        edit.refusal = core::parse_action_field_text(f, typed, value, where);
    if (edit.refusal.empty())
        edit.refusal = core::check_action_field(f, draft, action, value, where);
    if (edit.refusal.empty()) {
        f.set(draft, action, value);
        edit.changed = true;
    }
    return edit;
}

void FieldEdits::show(const core::SettingsField& f) {
    FieldEdit e = field_widget(entry, draft, f);
    edit.changed |= e.changed;
    if (!e.refusal.empty()) edit.refusal = std::move(e.refusal);
}

}  // namespace rl::app
