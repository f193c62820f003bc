#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/compare.hpp"
#include "app/compare_plots.hpp"
#include "app/controls_panel.hpp"
#include "app/frame_stats.hpp"
#include "app/message_log.hpp"
#include "app/plots.hpp"
#include "live/live_session.hpp"

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
    live::LiveOptions live;          // for compare mode's second live session
    std::optional<Session> compare;  // set: start in compare mode with this B
    std::string compare_note;        // what B needed that was not asked for
};

// The main loop's body: `while (app.frame()) {}`. Owns the panels' state; reads the live
// session's results and draws them.
class App {
  public:
    App(Window& window, Theme& theme, live::LiveSession& live, const AppOptions& options);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // One frame in a fixed order: poll, skip while minimised, schedule the engine's tick, new
    // frame, UI, render, screenshot, swap, pace. False when the app should end.
    bool frame();
    int exit_code() const { return m_exit_code; }
    const FrameStats& stats() const { return m_stats; }
    // Where the plots were drawn in the last frame, in framebuffer pixels.
    const std::vector<PlotPlacement>& plot_placements() const { return m_placed; }

  private:
    void handle_shortcuts();
    void draw_menu();
    void draw_windows(const live::Results& r, const live::Results* b);
    void draw_plots(const live::Results& r, const live::Results* b);
    void draw_status(const live::Results& r);
    void draw_help();
    void set_presenter(bool on);
    void finish_frame();

    Window& m_window;
    Theme& m_theme;
    live::LiveSession& m_live;
    AppOptions m_options;
    plot::Context* m_plot_context = nullptr;
    ControlsPanel m_controls;
    ScatterPlot m_scatter;
    CompareMode m_compare;
    ComparePlots m_compare_plots;
    MessageLog m_log;
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
    bool m_show_help = false;
    std::chrono::steady_clock::time_point m_last_frame_start{};
};

}  // namespace rl::app
