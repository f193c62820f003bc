#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

// Every command of the window, one row each: its menu and label, its keyboard shortcuts, its line
// in the F1 help, when it is enabled or checked, and what it does. The menu bar, the shortcuts and
// the help window are all drawn from this one table (commands.cpp), so a new command is a row.
namespace rl::app {

class App;

struct Shortcut {
    int key = 0;  // a GLFW key code; 0: none
    bool ctrl = false;
};

struct Command {
    std::string_view menu = {};   // the menu it sits in; empty: a shortcut only
    std::string_view label = {};  // its menu item; for a note (no `run`), the note's text
    std::string_view keys = {};   // its shortcuts as the menu and the help show them: "Ctrl+S"
    std::array<Shortcut, 2> shortcuts{};
    std::string_view help = {};  // its line in the F1 help; empty: not listed there
    bool repeats = false;        // a held key repeats it
    bool separator_before = false;
    bool (*enabled)(const App&) = nullptr;           // null: always
    bool (*checked)(const App&) = nullptr;           // null: not a toggle
    std::string (*label_now)(const App&) = nullptr;  // a label that follows the state
    void (*run)(App&) = nullptr;                     // null: a note in its menu
};

std::span<const Command> commands();

// Runs the commands whose shortcut was pressed this frame (none while a text field has the
// keyboard, where keys type text).
void run_shortcuts(App& app);
// The main menu bar; returns its height.
float draw_menu_bar(App& app);
// The F1 window: every shortcut with its help line, then the mouse's gestures.
void draw_help_window(App& app, bool& open);

}  // namespace rl::app
