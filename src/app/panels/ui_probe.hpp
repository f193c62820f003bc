#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

// What the GUI tests need to drive the window as a person would: where each named control was
// drawn, so xdotool can click it, and the status line, so the test can read what the window said.
// With RL_UI_PROBE=FILE in the environment the window writes FILE (a temporary, then renamed) on
// frames where any of it changed, and at least every half second so a test sees the frame count
// go on while the window answers. Without the variable nothing is recorded.
//
// FILE's lines: "frame N", "status TEXT", "message TEXT" per recent message, "item NAME x0 y0 x1
// y1" per control (and "item plot/NAME ..." per plot drawn) and "window NAME x0 y0 x1 y1" per
// open dialog (window pixels), and "typing yes"
// or "typing no" (whether a text field has the keyboard).
namespace rl::app {

class UiProbe {
  public:
    // Reads RL_UI_PROBE; inactive when it is unset or empty.
    UiProbe();
    bool active() const { return !m_file.empty(); }

    // The last ImGui item, under `name` ("Save session/Save", "menu/File/Quit").
    void item(std::string_view name);
    // The current ImGui window, under `name`, as a line "window NAME x0 y0 x1 y1".
    void window(std::string_view name);
    // A box drawn this frame that is no ImGui item (a plot), as an item line.
    void box(std::string_view name, float x0, float y0, float x1, float y1);
    void status(std::string text);
    // One of the recent messages, oldest first, as a line "message TEXT".
    void message(const std::string& text);
    // After the frame's UI: writes the file when due.
    void end_frame(long long frame);

  private:
    std::filesystem::path m_file;
    std::vector<std::string> m_items, m_written_items;
    std::string m_status, m_written_status;
    long long m_written_frame = -1000000;
};

// The window's probe, for the panels and dialogs to report their controls to; null when none.
// Like ImGui's own current context, the app sets it once at start.
UiProbe* current_ui_probe();
void set_current_ui_probe(UiProbe* probe);
// current_ui_probe()->item(name) or ->window(name) when there is an active probe.
void probe_item(std::string_view name);
void probe_window(std::string_view name);

}  // namespace rl::app
