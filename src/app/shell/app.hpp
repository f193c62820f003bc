#pragma once

#include <imgui.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/export/exporter.hpp"
#include "app/export/plot_menu.hpp"
#include "app/panels/compare_controls.hpp"
#include "app/panels/controls_panel.hpp"
#include "app/panels/lesson_strip.hpp"
#include "app/panels/message_log.hpp"
#include "app/panels/ui_probe.hpp"
#include "app/shell/export_dialog.hpp"
#include "app/shell/frame_stats.hpp"
#include "app/shell/layout.hpp"
#include "app/shell/plot_grid.hpp"
#include "app/shell/session_dialogs.hpp"
#include "app/views/compare_plots.hpp"
#include "app/views/plots.hpp"
#include "control/lab.hpp"
#include "io/session_file.hpp"

namespace rl::plot {
struct Context;
}

namespace rl::app {

class Window;
class Theme;

struct AppOptions {
    int frames = 0;                    // > 0: stop after this many frames
    std::filesystem::path screenshot;  // written after the last frame when set
    // Each frame waits for the engine's tick, so a run of N frames is reproducible (screenshots
    // and tests); interactive use never waits.
    bool lockstep = false;
    // Where exports go. Scripted runs with export_all export the window and every plot after
    // the next-to-last frame's plots are drawn (taken in the last frame); record_every > 0
    // records from the first frame.
    std::filesystem::path export_folder;
    bool export_all = false;
    int record_every = 0;
    bool remember_settings = false;  // interactive runs: the export folder persists
    // The panels as ImGui remembered them fit this window (it opens at the size it was closed at,
    // in the same mode): the first layout keeps them. Otherwise the layout places every panel.
    bool keep_remembered_layout = false;
    std::optional<core::Settings> compare;  // set: start in compare mode with this B
    std::string compare_note;               // what B needed that was not asked for
};

// The panels the View menu hides and shows.
enum class Panel { kControls, kStep, kMessages, kHelp, kExportSettings, kCount };

// The main loop's body: `while (app.frame()) {}`. Owns the panels' state; draws the lab's latest
// results and hands every user action to the lab or the exporter. The menus and shortcuts are
// the command table's (shell/commands), which calls the public actions below.
class App {
  public:
    // `lab` holds the session to show, its lesson already set; lesson_step > 0 shows that step.
    App(Window& window, Theme& theme, control::Lab& lab, const AppOptions& options,
        int lesson_step = 0);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // One frame in a fixed order: poll, skip while minimised, the frame's tick, new frame, UI,
    // render, screenshot, swap, pace. False when the app should end.
    bool frame();
    int exit_code() const { return m_exit_code; }

    // Offers to resume a session saved earlier (the last one, on start); the user decides.
    void offer_session(io::SessionFile file, core::Settings lesson_base, std::string what);
    // Adds a message to the log (startup notes from outside the frame loop).
    void note(live::Level level, const std::string& text);
    const FrameStats& stats() const { return m_stats; }
    // Where the plots were drawn in the last frame, in framebuffer pixels.
    std::vector<PlotPlacement> plot_placements() const;

    // The actions the command table runs.
    control::Lab& lab() { return m_lab; }
    const control::Lab& lab() const { return m_lab; }
    Exporter& exporter() { return m_exporter; }
    const Exporter& exporter() const { return m_exporter; }
    void open_session_dialog(bool save);
    void show_lesson_step(int index);
    bool presenter() const;
    void toggle_presenter();
    void toggle_compare();
    bool panel_shown(Panel panel) const;
    void toggle_panel(Panel panel);
    // The This step panel is on but the plots and the lesson left it no room.
    bool step_squeezed() const { return m_step_squeezed; }
    void reset_layout() { m_relayout = true; }
    void toggle_recording();
    void quit();

  private:
    bool& shown(Panel panel) { return m_shown[static_cast<std::size_t>(panel)]; }
    void draw_windows(const live::Results& a, const live::Results* b);
    void draw_plots(const live::Results& a, const live::Results* b);
    void draw_status(const live::Results& a);
    void draw_lesson_strip(const PanelLayout& layout, bool force);
    void export_everything();
    void take_messages();
    void finish_frame();

    Window& m_window;
    Theme& m_theme;
    control::Lab& m_lab;
    AppOptions m_options;
    plot::Context* m_plot_context = nullptr;
    UiProbe m_probe;
    ControlsPanel m_controls;
    CompareControls m_compare_controls;
    ScatterPlot m_scatter;
    PlotGrid m_plot_grid;
    ComparePlots m_compare_plots;
    MessageLog m_log;
    Exporter m_exporter;
    ExportDialog m_export_dialog;
    PlotMenu m_plot_menu;
    LessonStrip m_lesson_strip;
    SessionDialog m_session_dialog;
    ResumeOffer m_resume;
    float m_lesson_height = 0.0f;
    FrameStats m_stats;
    std::vector<PlotPlacement> m_placed;
    int m_frames_done = 0;
    int m_exit_code = 0;
    bool m_relayout = true;
    bool m_first_layout = true;
    bool m_relayout_next = false;  // the remembered panels did not fit: lay out the next frame
    ImVec2 m_last_display{0.0f, 0.0f};
    float m_menu_height = 0.0f;
    // Which panels are shown, by Panel: the controls and This step at first.
    std::array<bool, static_cast<std::size_t>(Panel::kCount)> m_shown{true, true};
    bool m_step_squeezed = false;
    std::chrono::steady_clock::time_point m_last_frame_start{};
};

}  // namespace rl::app
