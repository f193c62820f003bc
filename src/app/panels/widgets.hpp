#pragma once

#include <string>

// Small widgets every panel uses, so tooltips and number fields behave the same everywhere.
namespace rl::app {

// A one-sentence tooltip for the item just drawn.
void tooltip(const char* text);

// A section title in the controls: a separator with a bold label.
void section(const char* title);

// A whole-number box that commits when the user leaves it or presses Enter, so half-typed values
// are never applied; true on that commit. Settings fields use field_widgets instead, which read
// the text as --set does.
bool input_int(const char* label, int* value);
// A one-line text field over `value` (up to 1 KiB); true when an edit is finished.
bool input_text(const char* label, std::string& value);

// Compact numbers for tables and plot titles: 4 significant digits, no "-0".
std::string format_number(double value, int significant = 4);

}  // namespace rl::app
