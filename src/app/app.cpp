#include "app/app.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>
#include <thread>

#include "app/layout.hpp"
#include "app/screenshot.hpp"
#include "app/step_panel.hpp"
#include "app/theme.hpp"
#include "app/window.hpp"
#include "plot/plot.hpp"

namespace rl::app {

namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoCollapse;

void place(const Rect& r, bool force) {
    const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(r.pos, cond);
    ImGui::SetNextWindowSize(r.size, cond);
}

double milliseconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

App::App(Window& window, Theme& theme, live::LiveSession& live, const AppOptions& options)
    : m_window(window),
      m_theme(theme),
      m_live(live),
      m_options(options),
      m_plot_context(plot::CreateContext()),
      m_controls(live.session()),
      m_compare(options.live) {
    plot::SetCurrentContext(m_plot_context);
    plot::SetStyle(m_theme.plot_style());
    // The lesson plays from the first frame: a window that moves shows it is live.
    m_live.set_playing(true);
    if (m_options.compare) {
        m_compare.start(m_live, m_controls, *m_options.compare, m_log);
        if (!m_options.compare_note.empty())
            m_log.add(live::Level::kInfo, m_options.compare_note, ImGui::GetTime());
    }
    // A scripted run ignores wherever the pointer happens to be, so no stray hover read-out
    // lands in its screenshot.
    if (m_options.frames > 0) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
}

App::~App() {
    plot::SetCurrentContext(nullptr);
    plot::DestroyContext(m_plot_context);
}

void App::set_presenter(bool on) {
    ThemeSettings s = m_theme.settings();
    s.presenter = on;
    m_theme.apply(s);
    plot::SetStyle(m_theme.plot_style());
    m_relayout = true;
    m_log.add(live::Level::kInfo,
              on ? "Presenter mode: large type, light theme (F5 to leave)." : "Presenter mode off.",
              ImGui::GetTime());
}

void App::handle_shortcuts() {
    const ImGuiIO& io = ImGui::GetIO();
    // Keys type text while a field has focus; only otherwise are they shortcuts.
    if (io.WantTextInput || ImGui::IsAnyItemActive()) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) m_controls.toggle_play(m_live);
    if (ImGui::IsKeyPressed(GLFW_KEY_S) || ImGui::IsKeyPressed(GLFW_KEY_RIGHT))
        m_controls.step(m_live);
    if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) m_controls.reset(m_live);
    if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) set_presenter(!m_theme.settings().presenter);
    if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) m_show_help = !m_show_help;
    if (ImGui::IsKeyPressed(GLFW_KEY_F6, false)) m_compare.toggle(m_live, m_controls, m_log);
    if (ImGui::IsKeyPressed(GLFW_KEY_F2, false)) {
        m_show_controls = !m_show_controls;
        m_relayout = true;
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_F3, false)) {
        m_show_step = !m_show_step;
        m_relayout = true;
    }
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) m_window.request_close();
}

void App::draw_menu() {
    if (!ImGui::BeginMainMenuBar()) return;
    m_menu_height = ImGui::GetWindowSize().y;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) m_window.request_close();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Run")) {
        if (ImGui::MenuItem(m_live.playing() ? "Pause" : "Play", "Space"))
            m_controls.toggle_play(m_live);
        if (ImGui::MenuItem("Step", "S")) m_controls.step(m_live);
        if (ImGui::MenuItem("Reset", "R")) m_controls.reset(m_live);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Presenter mode", "F5", m_theme.settings().presenter))
            set_presenter(!m_theme.settings().presenter);
        if (ImGui::MenuItem("Compare mode (A against B)", "F6", m_compare.active()))
            m_compare.toggle(m_live, m_controls, m_log);
        if (ImGui::MenuItem("Controls panel", "F2", m_show_controls)) {
            m_show_controls = !m_show_controls;
            m_relayout = true;
        }
        if (ImGui::MenuItem("This step panel", "F3", m_show_step)) {
            m_show_step = !m_show_step;
            m_relayout = true;
        }
        if (ImGui::MenuItem("Reset layout")) m_relayout = true;
        ImGui::MenuItem("Messages", nullptr, &m_show_messages);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        ImGui::MenuItem("Keyboard and mouse", "F1", &m_show_help);
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void App::draw_plots(const live::Results& r, const live::Results* b) {
    m_placed.clear();
    if (b) {
        m_compare_plots.draw(r, *b, m_placed);
        return;
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
    const ImVec2 cell{(avail.x - gap.x) * 0.5f, (avail.y - gap.y) * 0.5f};
    if (cell.x < 40.0f || cell.y < 40.0f) return;
    // Left column: learning over the steps; right column: the noise at this step.
    draw_policy_plot(r, cell, m_placed);
    ImGui::SameLine(0.0f, gap.x);
    m_scatter.draw(r, cell, m_placed);
    draw_reward_plot(r, cell, m_placed);
    ImGui::SameLine(0.0f, gap.x);
    draw_snr_plot(r, cell, m_placed);
}

void App::draw_status(const live::Results& r) {
    ImGui::Text("%s  |  step %d  |  %s  |  frame %.1f ms, %.0f fps  |  engine %.1f ms",
                r.engine_description.c_str(), r.steps_done, r.playing ? "playing" : "paused",
                m_stats.recent_work_ms(), m_stats.recent_fps(), r.engine_ms);
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    m_log.draw_newest(ImGui::GetTime());
}

void App::draw_help() {
    if (!m_show_help) return;
    ImGui::SetNextWindowSize({ImGui::GetFontSize() * 30.0f, 0.0f}, ImGuiCond_Appearing);
    if (ImGui::Begin("Keyboard and mouse", &m_show_help, ImGuiWindowFlags_NoCollapse)) {
        ImGui::TextUnformatted(
            "Space        play / pause\n"
            "S or Right   one step (pauses)\n"
            "R            reset to step 0\n"
            "F5           presenter mode\n"
            "F6           compare mode: a second estimator B beside A\n"
            "F2 / F3      hide or show the controls / this-step panel\n"
            "F1           this help\n"
            "Ctrl+Q       quit\n\n"
            "In a plot: wheel zooms, drag pans, double-click fits again;\n"
            "click a legend entry to hide or show that curve;\n"
            "hover to read the nearest value.");
    }
    ImGui::End();
}

void App::draw_windows(const live::Results& r, const live::Results* b) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    if (display.x != m_last_display.x || display.y != m_last_display.y) {
        if (!m_first_layout) m_relayout = true;
        m_last_display = display;
    }
    const PanelLayout layout =
        compute_layout(display, m_menu_height, ImGui::GetFontSize(), m_show_controls, m_show_step);
    // The first layout leaves room for the one ImGui remembered; later changes force it.
    const bool force = m_relayout && !m_first_layout;

    // The tiled panels cover the window, so they leave their background to the clear colour:
    // each full-window layer costs software OpenGL several milliseconds.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.0f, 0.0f, 0.0f, 0.0f));
    if (m_show_controls) {
        place(layout.controls, force);
        m_controls.set_estimator_title(CompareMode::a_title(r, b));
        if (ImGui::Begin("Controls", nullptr, kPanelFlags))
            m_controls.draw(m_live, r, m_log, [&] {
                if (b) m_compare.draw_controls(m_live, r, *b, m_log);
            });
        ImGui::End();
    }

    place(layout.plots, force);
    if (ImGui::Begin("Plots", nullptr,
                     kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoTitleBar))
        draw_plots(r, b);
    ImGui::End();

    if (m_show_step) {
        place(layout.step, force);
        if (ImGui::Begin("This step", nullptr, kPanelFlags))
            draw_step_panel(r, m_theme.mono_font());
        ImGui::End();
    }

    place(layout.status, true);
    if (ImGui::Begin("##status", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                         ImGuiWindowFlags_NoBringToFrontOnFocus))
        draw_status(r);
    ImGui::End();
    ImGui::PopStyleColor();

    if (m_show_messages) {
        ImGui::SetNextWindowSize({ImGui::GetFontSize() * 36.0f, ImGui::GetFontSize() * 14.0f},
                                 ImGuiCond_FirstUseEver);
        if (ImGui::Begin("Messages", &m_show_messages)) m_log.draw_history();
        ImGui::End();
    }
    draw_help();
    m_first_layout = false;
    m_relayout = false;
}

bool App::frame() {
    const auto start = std::chrono::steady_clock::now();
    const double interval = m_frames_done == 0 ? 0.0 : milliseconds(start - m_last_frame_start);
    m_last_frame_start = start;

    m_window.poll();
    if (m_window.should_close()) return false;
    if (m_window.minimized()) return true;

    m_compare.follow(m_live, m_controls, m_log);
    m_compare.tick(m_live, m_options.lockstep);

    m_window.begin_frame();
    m_log.take_from(m_live, ImGui::GetTime());
    m_compare.take_messages(m_log, ImGui::GetTime());
    handle_shortcuts();
    draw_menu();
    m_live.read([this](const live::Results& r) {
        m_compare.read([&](const live::Results* b) { draw_windows(r, b); });
    });
    const std::array<float, 3> clear = m_theme.clear_color();
    m_window.end_frame(clear[0], clear[1], clear[2]);
    ++m_frames_done;

    const bool last = m_options.frames > 0 && m_frames_done >= m_options.frames;
    if (last) finish_frame();
    m_window.swap();

    const auto done = std::chrono::steady_clock::now();
    m_stats.add(milliseconds(done - start), interval);
    // Xvfb and some drivers do not wait for vertical sync; pace to 60 Hz so the engine and the
    // rest of the machine get the remaining time.
    std::this_thread::sleep_until(start + std::chrono::microseconds(16667));
    return !last;
}

void App::finish_frame() {
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    for (PlotPlacement& p : m_placed) {
        p.min = {p.min.x * scale.x, p.min.y * scale.y};
        p.max = {p.max.x * scale.x, p.max.y * scale.y};
    }
    if (m_options.screenshot.empty()) return;
    const ImVec2 fb = m_window.framebuffer_size();
    const std::string error =
        save_screenshot(m_options.screenshot, static_cast<int>(fb.x), static_cast<int>(fb.y));
    if (!error.empty()) {
        std::fprintf(stderr, "reinforce-lab: %s\n", error.c_str());
        m_exit_code = 1;
    }
}

}  // namespace rl::app
