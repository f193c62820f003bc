#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/settings.hpp"
#include "core/settings_fields.hpp"

// The window's widget for a settings field, made from the field's row (core/settings_fields.hpp):
// its label, tooltip, range or choices, and whether it is a box or a slider. Every control that
// edits the settings is one of these, so the window checks a value exactly as a session file or
// --set does: typed text is read whole by the command line's parser when the entry ends (Enter,
// Tab or a click elsewhere), never per keystroke, and a value out of range is refused, not clamped.
namespace rl::app {

// What a person is typing, kept across frames by the panel that draws the fields. ImGui 1.86
// can drop an entry that ends by a click on a control drawn earlier in the frame; kept here, the
// entry is read whole however it ends. Only the functions below touch it.
struct FieldEntry {
    unsigned id = 0;  // the text box being typed into (an ImGuiID; 0: none)
    std::string text;
    unsigned slider = 0;  // the slider whose typed entry is open in its place (0: none)
    bool focus = false;   // the entry still has to take the keyboard
    int wait_frames = 0;  // frames left for it to do so
};

// What an edit came to this frame.
struct FieldEdit {
    bool changed = false;  // a finished edit passed the row's checks and is now in the draft
    std::string refusal;   // a finished edit was refused (the draft is unchanged): why
};

// Several fields' widgets drawn in turn, their edits gathered into one: changed if any changed,
// the last refusal if any was refused.
struct FieldEdits {
    FieldEntry& entry;
    core::Settings& draft;
    FieldEdit edit{};
    void show(const core::SettingsField& f);
};

// The widget for `f` over `draft`, labelled with the row's label (or `id`, e.g. "##K", where the
// label stands elsewhere, as in a table) and `width` wide (0: the panel's field width).
FieldEdit field_widget(FieldEntry& entry, core::Settings& draft, const core::SettingsField& f,
                       const char* id = nullptr, float width = 0.0f);

// The widget for action `action`'s field `f`, for the actions table: no label, `width` wide.
// `shown`, when given, is the value to show instead of reading it (the table keeps the initial
// probabilities, which cost a softmax over every action to read).
FieldEdit action_field_widget(FieldEntry& entry, core::Settings& draft, const core::ActionField& f,
                              std::size_t action, float width,
                              const core::FieldValue* shown = nullptr);

// A one-line text box showing `shown` until someone types into it. True when an entry ended with
// other text than `shown`; `typed` then holds all of it.
bool text_entry(FieldEntry& entry, const char* label, const std::string& shown, std::string& typed);

// What a slider_entry did this frame.
enum class SliderEdit {
    kNone,
    kDragged,  // a drag moved the value
    kTyped,    // a typed entry ended: `typed` holds it and the value is untouched
};

// A slider over `value` in [lo, hi] that Ctrl+click turns into a text box in its place, so a
// value beyond the slider's ends can still be typed.
// `format` is the slider's printf format ("%d" for a whole number).
SliderEdit slider_entry(FieldEntry& entry, const char* label, double& value, double lo, double hi,
                        bool whole, bool logarithmic, std::string& typed,
                        const char* format = nullptr);

// A value typed for a control with no settings field (the pace): read whole by the command line's
// number parser and checked against [lo, hi]. "" with `out` set, or "NAME: must be ...".
std::string read_typed(std::string_view name, std::string_view text, double lo, double hi,
                       bool whole, double& out);

// Widgets fill the panel and leave a fixed column for their labels, so columns line up.
void next_width();

}  // namespace rl::app
