#include "app/shell/commands.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <string>
#include <vector>

#include "app/panels/ui_probe.hpp"
#include "app/shell/app.hpp"

namespace rl::app {

namespace {

bool has_next_step(const App& app) {
    const control::LessonPlayer& l = app.lab().lesson();
    return l.has_lesson() && l.shown() < l.step_count() - 1;
}

bool has_previous_step(const App& app) {
    const control::LessonPlayer& l = app.lab().lesson();
    return l.has_lesson() && l.shown() > 0;
}

const Command kCommands[] = {
    {.menu = "File",
     .label = "Open session...",
     .keys = "Ctrl+O",
     .shortcuts = {{{GLFW_KEY_O, true}}},
     .help = "open a session file",
     .run = [](App& a) { a.open_session_dialog(false); }},
    {.menu = "File",
     .label = "Save session...",
     .keys = "Ctrl+S",
     .shortcuts = {{{GLFW_KEY_S, true}}},
     .help = "save the session: settings, steps done, lesson step",
     .run = [](App& a) { a.open_session_dialog(true); }},
    {.menu = "File",
     .label = "Save window as PNG",
     .keys = "F12",
     .shortcuts = {{{GLFW_KEY_F12}}},
     .help = "save the window as PNG",
     .separator_before = true,
     .run = [](App& a) { a.exporter().request_window_png(); }},
    {.menu = "File",
     .label = "Record window as PNG frames",
     .checked = [](const App& a) { return a.exporter().recording(); },
     .run = [](App& a) { a.toggle_recording(); }},
    {.menu = "File",
     .label = "Export folder and recording...",
     .run = [](App& a) { a.toggle_panel(Panel::kExportSettings); }},
    {.menu = "File", .label = "Right-click a plot to save it as PNG, SVG or CSV."},
    {.menu = "File",
     .label = "Quit",
     .keys = "Ctrl+Q",
     .shortcuts = {{{GLFW_KEY_Q, true}}},
     .help = "quit (the session is kept for next time)",
     .separator_before = true,
     .run = [](App& a) { a.quit(); }},

    {.menu = "Run",
     .label = "Play",
     .keys = "Space",
     .shortcuts = {{{GLFW_KEY_SPACE}}},
     .help = "play / pause",
     .label_now =
         [](const App& a) { return std::string(a.lab().results_a()->playing ? "Pause" : "Play"); },
     .run = [](App& a) { a.lab().transport().toggle(); }},
    {.menu = "Run",
     .label = "Step",
     .keys = "S or Right",
     .shortcuts = {{{GLFW_KEY_S}, {GLFW_KEY_RIGHT}}},
     .help = "one step (pauses); This step shows its arithmetic",
     .repeats = true,
     .run = [](App& a) { a.lab().transport().step(); }},
    {.menu = "Run",
     .label = "Reset",
     .keys = "R",
     .shortcuts = {{{GLFW_KEY_R}}},
     .help = "reset every run to step 0",
     .run = [](App& a) { a.lab().transport().reset(); }},

    {.menu = "View",
     .label = "Presenter mode",
     .keys = "F5",
     .shortcuts = {{{GLFW_KEY_F5}}},
     .help = "presenter mode: large type, light theme",
     .checked = [](const App& a) { return a.presenter(); },
     .run = [](App& a) { a.toggle_presenter(); }},
    {.menu = "View",
     .label = "Compare mode (A against B)",
     .keys = "F6",
     .shortcuts = {{{GLFW_KEY_F6}}},
     .help = "compare mode: a second estimator B beside A",
     .checked = [](const App& a) { return a.lab().comparing(); },
     .run = [](App& a) { a.toggle_compare(); }},
    {.menu = "View",
     .label = "Controls panel",
     .keys = "F2",
     .shortcuts = {{{GLFW_KEY_F2}}},
     .help = "hide or show the controls",
     .checked = [](const App& a) { return a.panel_shown(Panel::kControls); },
     .run = [](App& a) { a.toggle_panel(Panel::kControls); }},
    {.menu = "View",
     .label = "This step panel",
     .keys = "F3",
     .shortcuts = {{{GLFW_KEY_F3}}},
     .help = "hide or show the This step panel",
     .checked = [](const App& a) { return a.panel_shown(Panel::kStep); },
     .label_now =
         [](const App& a) {
             return std::string(a.step_squeezed()
                                    ? "This step panel (no room: F2 or a larger window)"
                                    : "This step panel");
         },
     .run = [](App& a) { a.toggle_panel(Panel::kStep); }},
    {.menu = "View", .label = "Reset layout", .run = [](App& a) { a.reset_layout(); }},
    {.menu = "View",
     .label = "Messages",
     .checked = [](const App& a) { return a.panel_shown(Panel::kMessages); },
     .run = [](App& a) { a.toggle_panel(Panel::kMessages); }},

    {.menu = "Lesson",
     .label = "Next step",
     .keys = "Page Down",
     .shortcuts = {{{GLFW_KEY_PAGE_DOWN}}},
     .help = "next lesson step (presentation clickers send it)",
     .enabled = has_next_step,
     .run = [](App& a) { a.show_lesson_step(a.lab().lesson().shown() + 1); }},
    {.menu = "Lesson",
     .label = "Previous step",
     .keys = "Page Up",
     .shortcuts = {{{GLFW_KEY_PAGE_UP}}},
     .help = "previous lesson step",
     .enabled = has_previous_step,
     .run = [](App& a) { a.show_lesson_step(a.lab().lesson().shown() - 1); }},

    {.menu = "Help",
     .label = "Keyboard and mouse",
     .keys = "F1",
     .shortcuts = {{{GLFW_KEY_F1}}},
     .help = "this help",
     .checked = [](const App& a) { return a.panel_shown(Panel::kHelp); },
     .run = [](App& a) { a.toggle_panel(Panel::kHelp); }},
};

bool is_enabled(const Command& c, const App& app) {
    return c.enabled == nullptr || c.enabled(app);
}

// The menus in the order of their first command.
std::vector<std::string_view> menu_names() {
    std::vector<std::string_view> names;
    for (const Command& c : kCommands) {
        if (c.menu.empty()) continue;
        bool seen = false;
        for (std::string_view n : names)
            seen |= n == c.menu;
        if (!seen) names.push_back(c.menu);
    }
    return names;
}

// The lesson's steps, under its commands, so a teacher can jump to any.
void draw_lesson_steps(App& app) {
    const control::LessonPlayer& lesson = app.lab().lesson();
    ImGui::Separator();
    for (int i = 0; i < lesson.step_count(); ++i) {
        const std::string label =
            std::to_string(i + 1) + ". " + lesson.lesson().steps[static_cast<std::size_t>(i)].title;
        if (ImGui::MenuItem(label.c_str(), nullptr, i == lesson.shown())) app.show_lesson_step(i);
        probe_item("menu/Lesson/" + std::to_string(i + 1));
    }
}

}  // namespace

std::span<const Command> commands() {
    return kCommands;
}

void run_shortcuts(App& app) {
    const ImGuiIO& io = ImGui::GetIO();
    // Keys type text while a field has focus; only otherwise are they shortcuts.
    if (io.WantTextInput || ImGui::IsAnyItemActive()) return;
    for (const Command& c : kCommands) {
        if (c.run == nullptr || !is_enabled(c, app)) continue;
        for (const Shortcut& s : c.shortcuts) {
            if (s.key == 0 || s.ctrl != io.KeyCtrl) continue;
            if (ImGui::IsKeyPressed(s.key, c.repeats)) {
                c.run(app);
                break;
            }
        }
    }
}

float draw_menu_bar(App& app) {
    if (!ImGui::BeginMainMenuBar()) return 0.0f;
    const float height = ImGui::GetWindowSize().y;
    for (std::string_view menu : menu_names()) {
        // The Lesson menu is there only when there is a lesson.
        if (menu == "Lesson" && !app.lab().lesson().has_lesson()) continue;
        const std::string name(menu);
        const bool open = ImGui::BeginMenu(name.c_str());
        probe_item("menu/" + name);
        if (!open) continue;
        for (const Command& c : kCommands) {
            if (c.menu != menu) continue;
            if (c.separator_before) ImGui::Separator();
            const std::string label = c.label_now ? c.label_now(app) : std::string(c.label);
            if (c.run == nullptr) {
                ImGui::TextDisabled("%s", label.c_str());
                continue;
            }
            const std::string keys(c.keys);
            const bool picked =
                ImGui::MenuItem(label.c_str(), keys.empty() ? nullptr : keys.c_str(),
                                c.checked != nullptr && c.checked(app), is_enabled(c, app));
            probe_item("menu/" + name + "/" + std::string(c.label));
            if (picked) c.run(app);
        }
        if (menu == "Lesson") draw_lesson_steps(app);
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
    return height;
}

void draw_help_window(App&, bool& open) {
    if (!open) return;
    ImGui::SetNextWindowSize({ImGui::GetFontSize() * 32.0f, 0.0f}, ImGuiCond_Appearing);
    if (ImGui::Begin("Keyboard and mouse", &open, ImGuiWindowFlags_NoCollapse)) {
        probe_window("Keyboard and mouse");
        if (ImGui::BeginTable("keys", 2)) {
            ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed);
            ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
            for (const Command& c : kCommands) {
                if (c.help.empty()) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(c.keys.data(), c.keys.data() + c.keys.size());
                ImGui::TableNextColumn();
                ImGui::PushTextWrapPos(0.0f);
                ImGui::TextUnformatted(c.help.data(), c.help.data() + c.help.size());
                ImGui::PopTextWrapPos();
            }
            ImGui::EndTable();
        }
        ImGui::Spacing();
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(
            "In a plot: the wheel zooms, a drag pans, a double-click fits again; click a legend "
            "entry to hide or show that curve; hover to read the nearest value; right-click to "
            "save it as PNG, SVG or CSV.");
        ImGui::PopTextWrapPos();
    }
    ImGui::End();
}

}  // namespace rl::app
