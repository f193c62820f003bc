#pragma once

#include <cstddef>
#include <string>

#include "core/settings.hpp"
#include "core/settings_fields.hpp"

// The window's widget for a settings field, made from the field's row (core/settings_fields.hpp):
// its label, tooltip, range or choices, and whether it is a box or a slider. Every control that
// edits the settings is one of these, so the window checks a value exactly as a session file or
// --set does.
namespace rl::app {

// What an edit came to this frame.
struct FieldEdit {
    bool changed = false;  // a finished edit passed the row's checks and is now in the draft
    std::string refusal;   // a finished edit was refused (the draft is unchanged): why
};

// The widget for `f` over `draft`, labelled with the row's label (or `id`, e.g. "##K", where the
// label stands elsewhere, as in a table) and `width` wide (0: the panel's field width).
FieldEdit field_widget(core::Settings& draft, const core::SettingsField& f,
                       const char* id = nullptr, float width = 0.0f);

// The widget for action `action`'s field `f`, for the actions table: no label, `width` wide.
// `shown`, when given, is the value to show instead of reading it (the table keeps the initial
// probabilities, which cost a softmax over every action to read).
FieldEdit action_field_widget(core::Settings& draft, const core::ActionField& f, std::size_t action,
                              float width, const core::FieldValue* shown = nullptr);

// Widgets fill the panel and leave a fixed column for their labels, so columns line up.
void next_width();

}  // namespace rl::app
