#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/export/exporter.hpp"
#include "app/panels/compare.hpp"
#include "app/panels/controls_panel.hpp"
#include "app/panels/lesson_panel.hpp"
#include "app/panels/message_log.hpp"
#include "app/shell/frame_stats.hpp"
#include "app/shell/layout.hpp"
#include "app/views/compare_plots.hpp"
#include "app/views/plots.hpp"
#include "io/session_file.hpp"
#include "live/runner.hpp"

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
    bool remember_settings = false;         // interactive runs: the export folder persists
    live::RunnerOptions live;               // for compare mode's second live session
    std::optional<core::Settings> compare;  // set: start in compare mode with this B
    std::string compare_note;               // what B needed that was not asked for
};

// What the window starts on: the document (a preset with its lesson, or a saved session already
// replayed into the live session) and the settings its lesson builds on.
struct AppStart {
    io::SessionFile document;
    core::Settings lesson_base;
    std::string source;   // for messages: "preset yes-no-maybe", a file path
    int lesson_step = 0;  // > 0: show this lesson step (1-based) at once
};

// The main loop's body: `while (app.frame()) {}`. Owns the panels' state; reads the live
// session's results and draws them.
class App {
  public:
    App(Window& window, Theme& theme, live::Runner& live, const AppOptions& options,
        const AppStart& start);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // One frame in a fixed order: poll, skip while minimised, schedule the engine's tick, new
    // frame, UI, render, screenshot, swap, pace. False when the app should end.
    bool frame();
    int exit_code() const { return m_exit_code; }

    // Offers to resume a session saved earlier (the last one, on start); the user decides.
    void offer_session(io::SessionFile document, core::Settings lesson_base, std::string what);
    // Writes the session as it stands (settings, steps done and their history, the lesson and
    // its step) atomically; "" or the error.
    std::string save_session(const std::filesystem::path& file) const;
    // Adds a message to the log (startup notes from outside the frame loop).
    void note(live::Level level, const std::string& text);
    const FrameStats& stats() const { return m_stats; }
    // Where the plots were drawn in the last frame, in framebuffer pixels.
    std::vector<PlotPlacement> plot_placements() const;

  private:
    void handle_shortcuts();
    void draw_menu();
    void draw_windows(const live::Results& r, const live::Results* b);
    void draw_plots(const live::Results& r, const live::Results* b);
    void draw_status(const live::Results& r);
    void draw_help();
    void draw_plot_menu();
    void draw_export_settings();
    void export_everything();
    void take_export_messages();
    // Replaces the running session with `document` (replayed to its step) and its lesson; on
    // refusal the current session stays and the log says why.
    bool load_document(const io::SessionFile& document, const core::Settings& lesson_base,
                       const std::string& source);
    void load_preset(const std::string& name);
    void draw_lesson_strip(const PanelLayout& layout, bool force);
    // Shows a lesson step: its settings, then its reset and play through the controls.
    void show_lesson_step(int index);
    void finish_lesson_step(const std::optional<LessonPanel::Shown>& shown);
    void draw_session_dialog();
    void draw_resume_offer();
    void set_presenter(bool on);
    void finish_frame();

    Window& m_window;
    Theme& m_theme;
    live::Runner& m_live;
    AppOptions m_options;
    plot::Context* m_plot_context = nullptr;
    ControlsPanel m_controls;
    ScatterPlot m_scatter;
    CompareMode m_compare;
    ComparePlots m_compare_plots;
    MessageLog m_log;
    Exporter m_exporter;
    LessonPanel m_lesson;
    float m_lesson_height = 0.0f;
    // The File > Open / Save session window.
    enum class SessionDialog { kClosed, kOpen, kSave };
    SessionDialog m_session_dialog = SessionDialog::kClosed;
    std::string m_session_path;
    bool m_confirm_replace = false;
    std::filesystem::path m_listed_folder;  // the Open window's listing, and where it is from
    std::vector<std::filesystem::path> m_listed_files;
    std::optional<io::SessionFile> m_offer;
    core::Settings m_offer_base;
    std::string m_offer_text;
    std::string m_menu_plot;  // the plot whose context menu is open
    bool m_show_export_settings = false;
    std::string m_folder_draft;
    int m_record_every = 10;
    FrameStats m_stats;
    std::vector<PlotPlacement> m_placed;
    int m_frames_done = 0;
    int m_exit_code = 0;
    bool m_relayout = true;
    bool m_first_layout = true;
    ImVec2 m_last_display{0.0f, 0.0f};
    float m_menu_height = 0.0f;
    bool m_show_messages = false;
    bool m_show_controls = true;
    bool m_show_step = true;
    bool m_step_squeezed = false;  // shown, but the plots and the lesson left it no room
    bool m_show_help = false;
    std::chrono::steady_clock::time_point m_last_frame_start{};
};

}  // namespace rl::app
