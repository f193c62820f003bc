#include "app/shell/app.hpp"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <thread>
#include <utility>

#include "app/export/screenshot.hpp"
#include "app/panels/step_panel.hpp"
#include "app/platform/density_image.hpp"
#include "app/platform/theme.hpp"
#include "app/platform/window.hpp"
#include "app/shell/commands.hpp"
#include "app/views/plot_theme.hpp"
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

App::App(Window& window, Theme& theme, control::Lab& lab, const AppOptions& options,
         int lesson_step)
    : m_window(window),
      m_theme(theme),
      m_lab(lab),
      m_options(options),
      m_plot_context(plot::CreateContext()),
      m_scatter([] { return std::make_unique<DensityImage>(); }),
      m_compare_plots([] { return std::make_unique<DensityImage>(); }),
      m_exporter(options.export_folder),
      m_export_dialog(m_exporter, options.record_every > 0 ? options.record_every : 10) {
    plot::SetCurrentContext(m_plot_context);
    plot::SetStyle(m_theme.plot_style());
    set_current_ui_probe(&m_probe);
    // Panels remembered for another window size or mode would leave part of this one empty.
    m_first_layout = options.keep_remembered_layout;
    // A lesson plays from the first frame: a window that moves shows it is live. A saved session
    // opens paused where it was left, unless a script asks for frames of training.
    const bool resumed = m_lab.results_a()->steps_done > 0;
    m_lab.transport().set_playing(!resumed || m_options.frames > 0);
    if (lesson_step > 0) show_lesson_step(lesson_step - 1);
    if (m_options.compare) {
        if (const std::string error = m_lab.compare_on(*m_options.compare); !error.empty())
            m_log.add(live::Level::kError, error, ImGui::GetTime());
        if (!m_options.compare_note.empty())
            m_log.add(live::Level::kInfo, m_options.compare_note, ImGui::GetTime());
    }
    // A scripted run ignores wherever the pointer happens to be, so no stray hover read-out
    // lands in its screenshot.
    if (m_options.frames > 0) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
    m_exporter.set_preset(m_lab.settings().preset);
    if (m_options.record_every > 0) m_exporter.start_recording(m_options.record_every);
}

App::~App() {
    set_current_ui_probe(nullptr);
    plot::SetCurrentContext(nullptr);
    plot::DestroyContext(m_plot_context);
}

bool App::presenter() const {
    return m_theme.settings().presenter;
}

void App::toggle_presenter() {
    ThemeSettings s = m_theme.settings();
    s.presenter = !s.presenter;
    m_theme.apply(s);
    plot::SetStyle(m_theme.plot_style());
    m_relayout = true;
    m_log.add(live::Level::kInfo,
              s.presenter ? "Presenter mode: large type, light theme (F5 to leave)."
                          : "Presenter mode off.",
              ImGui::GetTime());
}

void App::toggle_compare() {
    m_lab.toggle_compare();
}

bool App::panel_shown(Panel panel) const {
    return m_shown[static_cast<std::size_t>(panel)];
}

void App::toggle_panel(Panel panel) {
    bool& shown = m_shown[static_cast<std::size_t>(panel)];
    shown = !shown;
    // The tiled panels give their room to the others.
    if (panel == Panel::kControls || panel == Panel::kStep) m_relayout = true;
}

void App::toggle_recording() {
    if (m_exporter.recording()) {
        m_exporter.stop_recording();
    } else {
        m_exporter.start_recording(m_export_dialog.record_every());
    }
}

void App::quit() {
    m_window.request_close();
}

void App::open_session_dialog(bool save) {
    m_session_dialog.open(save, m_exporter.folder(), m_lab.settings().preset);
}

void App::show_lesson_step(int index) {
    if (const std::string error = m_lab.show_lesson_step(index); !error.empty())
        m_log.add(live::Level::kError, error, ImGui::GetTime());
}

void App::offer_session(io::SessionFile file, core::Settings lesson_base, std::string what) {
    m_resume.offer(std::move(file), std::move(lesson_base), std::move(what));
    // Nothing runs behind the question: the answer decides which session plays.
    m_lab.transport().set_playing(false);
}

void App::note(live::Level level, const std::string& text) {
    m_log.add(level, text, ImGui::GetTime());
}

void App::draw_plots(const live::Results& a, const live::Results* b) {
    m_placed.clear();
    if (b) {
        m_compare_plots.draw(a, *b, m_placed);
    } else {
        const control::LessonPlayer& lesson = m_lab.lesson();
        const io::LessonStep* step = lesson.shown_step();
        m_plot_grid.follow_step(lesson.revision(), lesson.shown(),
                                step ? step->focus : std::vector<io::LessonPlot>{});
        m_plot_grid.draw(
            [&](io::LessonPlot plot, ImVec2 size) {
                switch (plot) {
                    case io::LessonPlot::kPolicy:
                        draw_policy_plot(a, size, m_placed);
                        break;
                    case io::LessonPlot::kGradient:
                        m_scatter.draw(a, size, m_placed);
                        break;
                    case io::LessonPlot::kReward:
                        draw_reward_plot(a, size, m_placed);
                        break;
                    case io::LessonPlot::kSnr:
                        draw_snr_plot(a, size, m_placed);
                        break;
                    case io::LessonPlot::kCredit:
                        draw_credit_strip_plot(a, size, m_placed);
                        break;
                    case io::LessonPlot::kLength:
                        draw_length_snr_plot(a, size, m_placed);
                        break;
                    case io::LessonPlot::kStep:
                        // The panel's words and numbers in the room of a plot, scrolling as the
                        // panel does.
                        if (ImGui::BeginChild("This step##focus", size, true))
                            draw_step_panel(a, m_theme.mono_font());
                        ImGui::EndChild();
                        break;
                }
            },
            !m_step_squeezed && shown(Panel::kStep),
            plot_set(a.episodes.active ? a.episodes.problem : core::ProblemKind::kBandit));
    }
    m_plot_menu.draw(m_placed, m_exporter, page_color_for(m_theme.settings()));
    if (UiProbe* probe = current_ui_probe())
        for (const PlotPlacement& p : m_placed)
            probe->box("plot/" + p.name, p.min.x, p.min.y, p.max.x, p.max.y);
}

void App::draw_lesson_strip(const PanelLayout& layout, bool force) {
    if (!m_lab.lesson().has_lesson() || layout.lesson.size.y <= 0.0f) return;
    place(layout.lesson, force);
    // Its heading names the lesson, so it needs no title bar; the room goes to the plots.
    if (ImGui::Begin("Lesson", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar)) {
        if (const std::optional<int> asked =
                m_lesson_strip.draw(m_lab.lesson(), m_theme.title_font()))
            show_lesson_step(*asked);
    }
    ImGui::End();
}

void App::draw_status(const live::Results& a) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s  |  step %d  |  %s  |  frame %.1f ms, %.0f fps  |  engine %.1f ms",
                  a.engine_description.c_str(), a.steps_done, a.playing ? "playing" : "paused",
                  m_stats.recent_work_ms(), m_stats.recent_fps(), a.engine_ms);
    ImGui::TextUnformatted(line);
    if (m_exporter.recording()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.9f, 0.2f, 0.2f, 1.0f), "  REC %d",
                           m_exporter.recorded_frames());
    }
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    m_log.draw_shown(ImGui::GetTime());
    const LoggedMessage* shown = m_log.shown(ImGui::GetTime());
    if (m_probe.active()) {
        const std::deque<LoggedMessage>& all = m_log.entries();
        constexpr std::size_t kRecent = 8;
        for (std::size_t i = all.size() > kRecent ? all.size() - kRecent : 0; i < all.size(); ++i)
            m_probe.message(all[i].message.text);
    }
    m_probe.status("step " + std::to_string(a.steps_done) + (a.playing ? " playing" : " paused") +
                   (m_lab.comparing() ? " comparing" : "") + " | " +
                   (shown ? shown->message.text : std::string()));
}

void App::draw_windows(const live::Results& a, const live::Results* b) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    if (display.x != m_last_display.x || display.y != m_last_display.y) {
        if (!m_first_layout) m_relayout = true;
        m_last_display = display;
    }
    // The strip's height depends on its width, which the layout decides: lay out once without it.
    const float unit = ImGui::GetFontSize();
    const float strip_w =
        compute_layout(display, m_menu_height, unit, shown(Panel::kControls), shown(Panel::kStep))
            .plots.size.x;
    const float lesson_h = m_lesson_strip.preferred_height(m_lab.lesson(), strip_w);
    if (lesson_h != m_lesson_height) {
        if (!m_first_layout) m_relayout = true;
        m_lesson_height = lesson_h;
    }
    const PanelLayout layout = compute_layout(display, m_menu_height, unit, shown(Panel::kControls),
                                              shown(Panel::kStep), lesson_h);
    // The first layout leaves room for the one ImGui remembered; later changes force it.
    const bool force = m_relayout && !m_first_layout;

    // The tiled panels cover the window, so they leave their background to the clear colour:
    // each full-window layer costs software OpenGL several milliseconds.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.0f, 0.0f, 0.0f, 0.0f));
    if (shown(Panel::kControls)) {
        place(layout.controls, force);
        m_controls.set_estimator_title(estimator_title(a, b));
        if (ImGui::Begin("Controls", nullptr, kPanelFlags))
            m_controls.draw(m_lab, a, m_log, [&] {
                if (b) m_compare_controls.draw(m_lab, a, *b, m_log);
            });
        ImGui::End();
    }

    m_step_squeezed = shown(Panel::kStep) && layout.step.size.y <= 0.0f;
    draw_lesson_strip(layout, force);
    place(layout.plots, force);
    if (ImGui::Begin("Plots", nullptr,
                     kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoTitleBar)) {
        probe_window("Plots");
        // The layout always takes the plots to the window's right edge; remembered panels that
        // stop short were left by another size (or an older version): lay out afresh next frame.
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowSize().x;
        if (m_first_layout && std::abs(right - (layout.plots.pos.x + layout.plots.size.x)) > 2.0f)
            m_relayout_next = true;
        draw_plots(a, b);
    }
    ImGui::End();

    if (shown(Panel::kStep) && layout.step.size.y > 0.0f) {
        place(layout.step, force);
        if (ImGui::Begin("This step", nullptr, kPanelFlags))
            draw_step_panel(a, m_theme.mono_font());
        ImGui::End();
    }

    place(layout.status, true);
    if (ImGui::Begin("##status", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                         ImGuiWindowFlags_NoBringToFrontOnFocus))
        draw_status(a);
    ImGui::End();
    ImGui::PopStyleColor();

    if (shown(Panel::kMessages)) {
        ImGui::SetNextWindowSize({ImGui::GetFontSize() * 36.0f, ImGui::GetFontSize() * 14.0f},
                                 ImGuiCond_FirstUseEver);
        if (ImGui::Begin("Messages", &shown(Panel::kMessages))) m_log.draw_history();
        ImGui::End();
    }
    draw_help_window(*this, shown(Panel::kHelp));
    m_export_dialog.draw(shown(Panel::kExportSettings), m_exporter, m_log,
                         m_options.remember_settings);
    if (m_session_dialog.draw(m_lab, m_log)) m_relayout = true;
    if (m_resume.draw(m_lab, m_log)) m_relayout = true;
    // Loaded after every panel has drawn from this frame's results.
    if (const std::optional<std::string> preset = m_controls.take_preset_request()) {
        if (const std::string error = m_lab.load_preset(*preset); !error.empty()) {
            m_log.add(live::Level::kError, error + " (the current session is unchanged)",
                      ImGui::GetTime());
        } else {
            m_relayout = true;
        }
    }
    m_first_layout = false;
    m_relayout = std::exchange(m_relayout_next, false);
}

bool App::frame() {
    const auto start = std::chrono::steady_clock::now();
    const double interval = m_frames_done == 0 ? 0.0 : milliseconds(start - m_last_frame_start);
    m_last_frame_start = start;

    m_window.poll();
    if (m_window.should_close()) return false;
    if (m_window.minimized()) return true;

    m_lab.transport().tick(m_options.lockstep);

    // A frame that becomes a PNG is drawn without the mouse: no hover read-out, no tooltip.
    const bool clean = m_exporter.begin_frame();
    ImGuiIO& io = ImGui::GetIO();
    const bool had_no_mouse = (io.ConfigFlags & ImGuiConfigFlags_NoMouse) != 0;
    if (clean) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
    m_window.begin_frame();
    m_log.take(m_lab.take_messages(), ImGui::GetTime(), m_options.frames > 0);
    run_shortcuts(*this);
    m_menu_height = draw_menu_bar(*this);
    // The frame's own results: nothing is locked while it draws, so whatever a panel does
    // (save, load, end compare mode) cannot wait on a runner, and what it draws stays whole even
    // if B's runner goes during the frame.
    const std::shared_ptr<const live::Results> a = m_lab.results_a();
    const std::shared_ptr<const live::Results> b = m_lab.results_b();
    draw_windows(*a, b.get());
    m_exporter.set_preset(a->settings.preset);
    if (m_options.export_all && m_frames_done == m_options.frames - 2) export_everything();
    m_probe.end_frame(m_frames_done);
    const std::array<float, 3> clear = m_theme.clear_color();
    m_window.end_frame(clear[0], clear[1], clear[2]);
    if (clean && !had_no_mouse) io.ConfigFlags &= ~ImGuiConfigFlags_NoMouse;
    if (m_exporter.busy()) {
        const ImVec2 fb = m_window.framebuffer_size();
        m_exporter.after_render(static_cast<int>(fb.x), static_cast<int>(fb.y), plot_placements());
    }
    take_messages();
    ++m_frames_done;

    const bool last = m_options.frames > 0 && m_frames_done >= m_options.frames;
    if (last) finish_frame();
    m_window.swap();

    const auto done = std::chrono::steady_clock::now();
    m_stats.add(milliseconds(done - start), interval, a->engine_ms);
    // Xvfb and some drivers do not wait for vertical sync; pace to 60 Hz so the engine and the
    // rest of the machine get the remaining time.
    std::this_thread::sleep_until(start + std::chrono::microseconds(16667));
    return !last;
}

void App::export_everything() {
    const plot::Rgba page = page_color_for(m_theme.settings());
    m_exporter.request_window_png();
    for (const PlotPlacement& p : m_placed) {
        m_exporter.request_plot_png(p.name);
        m_exporter.export_recording(p.name, PlotFormat::kSvg, page);
        m_exporter.export_recording(p.name, PlotFormat::kCsv, page);
    }
}

void App::take_messages() {
    for (live::Message& m : m_exporter.take_messages()) {
        // Scripted runs print them, so a test or a script sees what was written.
        if (m_options.frames > 0) {
            std::printf("%s\n", m.text.c_str());
            if (m.level == live::Level::kError) m_exit_code = 1;
        }
        m_log.add(m.level, std::move(m.text), ImGui::GetTime());
    }
}

std::vector<PlotPlacement> App::plot_placements() const {
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    std::vector<PlotPlacement> in_pixels = m_placed;
    for (PlotPlacement& p : in_pixels) {
        p.min = {p.min.x * scale.x, p.min.y * scale.y};
        p.max = {p.max.x * scale.x, p.max.y * scale.y};
    }
    return in_pixels;
}

void App::finish_frame() {
    m_exporter.stop_recording();
    m_exporter.finish();
    take_messages();
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
