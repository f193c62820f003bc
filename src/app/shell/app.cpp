#include "app/shell/app.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "app/export/screenshot.hpp"
#include "app/panels/step_panel.hpp"
#include "app/panels/widgets.hpp"
#include "app/platform/config_paths.hpp"
#include "app/platform/density_image.hpp"
#include "app/platform/theme.hpp"
#include "app/platform/window.hpp"
#include "app/shell/layout.hpp"
#include "app/views/plot_theme.hpp"
#include "io/export_names.hpp"
#include "io/presets.hpp"
#include "plot/plot.hpp"

namespace rl::app {

namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoCollapse;

void place(const Rect& r, bool force) {
    const ImGuiCond cond = force ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(r.pos, cond);
    ImGui::SetNextWindowSize(r.size, cond);
}

// The session files (*.json) in `folder`, newest first.
std::vector<std::filesystem::path> session_files_in(const std::filesystem::path& folder) {
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
        std::error_code time_error;
        if (e.path().extension() == ".json")
            found.emplace_back(e.last_write_time(time_error), e.path());
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::filesystem::path> files;
    for (auto& f : found)
        files.push_back(std::move(f.second));
    return files;
}

double milliseconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

App::App(Window& window, Theme& theme, live::Runner& live, const AppOptions& options,
         const AppStart& start)
    : m_window(window),
      m_theme(theme),
      m_live(live),
      m_options(options),
      m_plot_context(plot::CreateContext()),
      m_controls(live.settings()),
      m_scatter([] { return std::make_unique<DensityImage>(); }),
      m_compare(options.live),
      m_compare_plots([] { return std::make_unique<DensityImage>(); }),
      m_exporter(options.export_folder) {
    plot::SetCurrentContext(m_plot_context);
    plot::SetStyle(m_theme.plot_style());
    m_lesson.set_lesson(start.document.lesson, start.lesson_base, start.document.lesson_step);
    // A lesson plays from the first frame: a window that moves shows it is live. A saved session
    // opens paused where it was left, unless a script asks for frames of training.
    const bool resumed = start.document.step > 0;
    m_live.set_playing(!resumed || m_options.frames > 0);
    if (start.lesson_step > 0) show_lesson_step(start.lesson_step - 1);
    if (m_options.compare) {
        m_compare.start(m_live, m_controls, *m_options.compare, m_log);
        if (!m_options.compare_note.empty())
            m_log.add(live::Level::kInfo, m_options.compare_note, ImGui::GetTime());
    }
    // A scripted run ignores wherever the pointer happens to be, so no stray hover read-out
    // lands in its screenshot.
    if (m_options.frames > 0) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
    m_folder_draft = m_exporter.folder().string();
    m_exporter.set_preset(m_live.settings().preset);
    if (m_options.record_every > 0) {
        m_record_every = m_options.record_every;
        m_exporter.start_recording(m_record_every);
    }
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
    if ((ImGui::IsKeyPressed(GLFW_KEY_S) && !io.KeyCtrl) || ImGui::IsKeyPressed(GLFW_KEY_RIGHT))
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
    if (ImGui::IsKeyPressed(GLFW_KEY_F12, false)) m_exporter.request_window_png();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false)) {
        m_session_dialog = SessionDialog::kSave;
        m_session_path.clear();
    }
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_O, false)) {
        m_session_dialog = SessionDialog::kOpen;
        m_session_path.clear();
    }
}

void App::draw_menu() {
    if (!ImGui::BeginMainMenuBar()) return;
    m_menu_height = ImGui::GetWindowSize().y;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open session...", "Ctrl+O")) {
            m_session_dialog = SessionDialog::kOpen;
            m_session_path.clear();
        }
        if (ImGui::MenuItem("Save session...", "Ctrl+S")) {
            m_session_dialog = SessionDialog::kSave;
            m_session_path.clear();
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Save window as PNG", "F12")) m_exporter.request_window_png();
        if (ImGui::MenuItem("Record window as PNG frames", nullptr, m_exporter.recording())) {
            if (m_exporter.recording()) {
                m_exporter.stop_recording();
            } else {
                m_exporter.start_recording(m_record_every);
            }
        }
        if (ImGui::MenuItem("Export folder and recording...")) m_show_export_settings = true;
        ImGui::TextDisabled("Right-click a plot to save it as PNG, SVG or CSV.");
        ImGui::Separator();
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
        if (ImGui::MenuItem(m_step_squeezed ? "This step panel (no room: F2 or a larger window)"
                                            : "This step panel",
                            "F3", m_show_step)) {
            m_show_step = !m_show_step;
            m_relayout = true;
        }
        if (ImGui::MenuItem("Reset layout")) m_relayout = true;
        ImGui::MenuItem("Messages", nullptr, &m_show_messages);
        ImGui::EndMenu();
    }
    if (m_lesson.has_lesson() && ImGui::BeginMenu("Lesson")) {
        if (ImGui::MenuItem("Next step", "Page Down", false,
                            m_lesson.shown() < m_lesson.step_count() - 1)) {
            show_lesson_step(m_lesson.shown() + 1);
        }
        if (ImGui::MenuItem("Previous step", "Page Up", false, m_lesson.shown() > 0)) {
            show_lesson_step(m_lesson.shown() - 1);
        }
        ImGui::Separator();
        for (int i = 0; i < m_lesson.step_count(); ++i) {
            const std::string label = std::to_string(i + 1) + ". " +
                                      m_lesson.lesson().steps[static_cast<std::size_t>(i)].title;
            if (ImGui::MenuItem(label.c_str(), nullptr, i == m_lesson.shown())) {
                show_lesson_step(i);
            }
        }
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
    draw_plot_menu();
}

void App::draw_plot_menu() {
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
        ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) {
        const ImVec2 m = ImGui::GetMousePos();
        for (const PlotPlacement& p : m_placed) {
            if (m.x < p.min.x || m.x > p.max.x || m.y < p.min.y || m.y > p.max.y) continue;
            m_menu_plot = p.name;
            ImGui::OpenPopup("##plot menu");
        }
    }
    if (!ImGui::BeginPopup("##plot menu")) return;
    ImGui::TextDisabled("%s plot", m_menu_plot.c_str());
    ImGui::Separator();
    const plot::Rgba page = page_color_for(m_theme.settings());
    if (ImGui::MenuItem("Save as PNG")) m_exporter.request_plot_png(m_menu_plot);
    if (ImGui::MenuItem("Save as SVG"))
        m_exporter.export_recording(m_menu_plot, PlotFormat::kSvg, page);
    if (ImGui::MenuItem("Save its data as CSV"))
        m_exporter.export_recording(m_menu_plot, PlotFormat::kCsv, page);
    ImGui::Separator();
    if (ImGui::MenuItem("Save the window as PNG", "F12")) m_exporter.request_window_png();
    ImGui::TextDisabled("into %s", m_exporter.folder().string().c_str());
    ImGui::EndPopup();
}

void App::draw_export_settings() {
    if (!m_show_export_settings) return;
    ImGui::SetNextWindowSize({ImGui::GetFontSize() * 34.0f, 0.0f}, ImGuiCond_Appearing);
    if (ImGui::Begin("Export folder and recording", &m_show_export_settings,
                     ImGuiWindowFlags_NoCollapse)) {
        ImGui::TextWrapped(
            "PNG, SVG and CSV files are saved here, named after the lesson, the plot and the "
            "time; an existing file is never replaced.");
        ImGui::SetNextItemWidth(-1.0f);
        if (input_text("##folder", m_folder_draft)) {
            m_exporter.set_folder(m_folder_draft);
            if (m_options.remember_settings) {
                if (const std::string error = save_export_folder(m_folder_draft); !error.empty())
                    m_log.add(live::Level::kWarning, error, ImGui::GetTime());
            }
        }
        if (ImGui::Button("Default folder")) {
            m_folder_draft = io::default_export_folder().string();
            m_exporter.set_folder(m_folder_draft);
            if (m_options.remember_settings) save_export_folder(m_folder_draft);
        }
        tooltip("The Pictures folder's reinforce-lab folder, or your home folder's.");
        ImGui::Separator();
        ImGui::TextUnformatted("Record: a PNG of the window every");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
        if (input_int("##every", &m_record_every))
            m_record_every = std::clamp(m_record_every, 1, 600);
        ImGui::SameLine();
        ImGui::TextUnformatted("frames (60 frames = 1 s)");
        if (m_exporter.recording()) {
            ImGui::Text("Recording: %d frames so far", m_exporter.recorded_frames());
            if (ImGui::Button("Stop recording")) m_exporter.stop_recording();
        } else if (ImGui::Button("Start recording")) {
            m_exporter.start_recording(m_record_every);
        }
        tooltip(
            "Each frame is a PNG numbered in order; a tool such as ImageMagick's convert "
            "turns the folder into a GIF.");
    }
    ImGui::End();
}

void App::draw_lesson_strip(const PanelLayout& layout, bool force) {
    if (!m_lesson.has_lesson() || layout.lesson.size.y <= 0.0f) return;
    place(layout.lesson, force);
    // Its heading names the lesson, so it needs no title bar; the room goes to the plots.
    if (ImGui::Begin("Lesson", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar)) {
        finish_lesson_step(m_lesson.draw(m_live, m_log, m_theme.title_font()));
    }
    ImGui::End();
}

void App::show_lesson_step(int index) {
    finish_lesson_step(m_lesson.show(index, m_live, m_log));
}

void App::finish_lesson_step(const std::optional<LessonPanel::Shown>& shown) {
    if (!shown) return;
    m_controls.set_draft(shown->settings);
    if (shown->reset) m_controls.reset(m_live);
    if (shown->play) m_controls.set_playing(m_live, *shown->play);
}

void App::note(live::Level level, const std::string& text) {
    m_log.add(level, text, ImGui::GetTime());
}

std::string App::save_session(const std::filesystem::path& file) const {
    io::SessionFile document = m_live.snapshot();
    document.lesson = m_lesson.lesson();
    document.lesson_step = m_lesson.shown();
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return file.parent_path().string() + ": cannot create the folder: " + ec.message();
    std::string error = io::write_session_file(file, document);
    if (!error.empty() && !document.lesson.steps.empty()) {
        // Hand edits can leave a lesson that no longer fits (an action it sets was renamed):
        // the run is what matters, so it is saved without the lesson rather than not at all.
        document.lesson = {};
        document.lesson_step = -1;
        if (io::write_session_file(file, document).empty()) return {};
    }
    return error;
}

bool App::load_document(const io::SessionFile& document, const core::Settings& lesson_base,
                        const std::string& source) {
    // A saved run is one configuration; B could not be replayed beside it.
    if (m_compare.active()) m_compare.stop(m_controls, m_log);
    if (const std::string error = m_live.load(document, source); !error.empty()) {
        m_log.add(live::Level::kError, error + " (the current session is unchanged)",
                  ImGui::GetTime());
        return false;
    }
    m_controls.set_draft(document.settings);
    m_lesson.set_lesson(document.lesson, lesson_base, document.lesson_step);
    m_exporter.set_preset(document.settings.preset);
    m_relayout = true;
    return true;
}

void App::load_preset(const std::string& name) {
    io::SessionFileResult loaded = io::load_preset_file(io::find_asset_dir(), name);
    if (!loaded) {
        m_log.add(live::Level::kError, loaded.error, ImGui::GetTime());
        return;
    }
    if (load_document(*loaded.document, loaded.document->settings, "preset " + name)) {
        m_live.set_playing(true);
        m_log.add(live::Level::kInfo,
                  "Loaded the lesson \"" + loaded.document->settings.title + "\".",
                  ImGui::GetTime());
    }
}

void App::offer_session(io::SessionFile document, core::Settings lesson_base, std::string what) {
    m_offer = std::move(document);
    m_offer_base = std::move(lesson_base);
    m_offer_text = std::move(what);
    // Nothing runs behind the question: the answer decides which session plays.
    m_controls.set_playing(m_live, false);
}

void App::draw_resume_offer() {
    if (!m_offer) return;
    if (!ImGui::IsPopupOpen("Welcome back")) ImGui::OpenPopup("Welcome back");
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            {0.5f, 0.5f});
    if (!ImGui::BeginPopupModal("Welcome back", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted("Pick up where you left off?");
    ImGui::TextDisabled("%s", m_offer_text.c_str());
    ImGui::Spacing();
    const float w = ImGui::GetFontSize() * 10.0f;
    if (ImGui::Button("Resume", {w, 0.0f})) {
        if (load_document(*m_offer, m_offer_base, "the last session"))
            m_log.add(live::Level::kInfo, "Resumed the last session.", ImGui::GetTime());
        m_offer.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Start fresh", {w, 0.0f}) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
        m_offer.reset();
        m_controls.set_playing(m_live, true);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void App::draw_session_dialog() {
    if (m_session_dialog == SessionDialog::kClosed) return;
    const bool saving = m_session_dialog == SessionDialog::kSave;
    if (m_session_path.empty()) {
        m_confirm_replace = false;
        m_session_path = saving ? (m_exporter.folder() /
                                   io::export_file_name(m_live.settings().preset, "session", "json",
                                                        std::chrono::system_clock::now()))
                                      .string()
                                : (m_exporter.folder() / "").string();
    }
    bool open = true;
    ImGui::SetNextWindowSize({ImGui::GetFontSize() * 36.0f, 0.0f}, ImGuiCond_Appearing);
    if (ImGui::Begin(saving ? "Save session" : "Open session", &open,
                     ImGuiWindowFlags_NoCollapse)) {
        ImGui::TextWrapped(saving ? "Saves the settings, the step reached and how the settings "
                                    "changed on the way, so opening the file replays this run."
                                  : "Opens a session file saved earlier and replays it to the "
                                    "step it was saved at. Pick a file or type its path.");
        ImGui::SetNextItemWidth(-1.0f);
        if (input_text("##path", m_session_path)) m_confirm_replace = false;
        if (!saving) {
            // The .json files next to the typed path, newest first; listed again only when the
            // folder changes, not on every frame the window is open.
            std::filesystem::path folder(m_session_path);
            std::error_code ec;
            if (!std::filesystem::is_directory(folder, ec)) folder = folder.parent_path();
            if (folder != m_listed_folder) {
                m_listed_folder = folder;
                m_listed_files = session_files_in(folder);
            }
            const std::vector<std::filesystem::path>& files = m_listed_files;
            ImGui::BeginChild("files", {0.0f, ImGui::GetTextLineHeightWithSpacing() * 8.0f}, true);
            for (const std::filesystem::path& f : files)
                if (ImGui::Selectable(f.filename().string().c_str(), f.string() == m_session_path))
                    m_session_path = f.string();
            if (files.empty())
                ImGui::TextDisabled("no session files in %s", folder.string().c_str());
            ImGui::EndChild();
        }
        std::error_code ec;
        const bool exists = std::filesystem::exists(m_session_path, ec);
        const char* action = !saving ? "Open" : (m_confirm_replace ? "Replace it" : "Save");
        if (saving && exists && !m_confirm_replace)
            ImGui::TextColored({0.95f, 0.7f, 0.2f, 1.0f}, "A file with this name exists.");
        if (ImGui::Button(action, {ImGui::GetFontSize() * 8.0f, 0.0f})) {
            if (saving && exists && !m_confirm_replace) {
                m_confirm_replace = true;  // a second press replaces it
            } else if (saving) {
                const std::string error = save_session(m_session_path);
                m_log.add(error.empty() ? live::Level::kInfo : live::Level::kError,
                          error.empty() ? "Saved the session to " + m_session_path
                                        : "Session not saved: " + error,
                          ImGui::GetTime());
                if (error.empty()) open = false;
            } else {
                io::SessionFileResult loaded = io::read_session_file(m_session_path);
                if (!loaded) {
                    m_log.add(live::Level::kError,
                              loaded.error + " (the current session is unchanged)",
                              ImGui::GetTime());
                } else if (load_document(*loaded.document, lesson_base_for(*loaded.document),
                                         m_session_path)) {
                    open = false;
                }
            }
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel", {ImGui::GetFontSize() * 8.0f, 0.0f})) open = false;
    }
    ImGui::End();
    if (!open) {
        m_session_dialog = SessionDialog::kClosed;
        m_session_path.clear();
        m_listed_folder.clear();  // a file saved meanwhile shows next time
    }
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

void App::take_export_messages() {
    for (live::Message& m : m_exporter.take_messages()) {
        // Scripted runs print them, so a test or a script sees what was written.
        if (m_options.frames > 0) {
            std::printf("%s\n", m.text.c_str());
            if (m.level == live::Level::kError) m_exit_code = 1;
        }
        m_log.add(m.level, std::move(m.text), ImGui::GetTime());
    }
}

void App::draw_status(const live::Results& r) {
    ImGui::Text("%s  |  step %d  |  %s  |  frame %.1f ms, %.0f fps  |  engine %.1f ms",
                r.engine_description.c_str(), r.steps_done, r.playing ? "playing" : "paused",
                m_stats.recent_work_ms(), m_stats.recent_fps(), r.engine_ms);
    if (m_exporter.recording()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.9f, 0.2f, 0.2f, 1.0f), "  REC %d",
                           m_exporter.recorded_frames());
    }
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    m_log.draw_shown(ImGui::GetTime());
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
            "Page Down/Up next / previous lesson step (clickers too)\n"
            "F12          save the window as PNG (right-click a plot: PNG, SVG, CSV)\n"
            "Ctrl+S/O     save / open a session file\n"
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
    // The strip's height depends on its width, which the layout decides: lay out once without it.
    const float unit = ImGui::GetFontSize();
    const float strip_w =
        compute_layout(display, m_menu_height, unit, m_show_controls, m_show_step).plots.size.x;
    const float lesson_h = m_lesson.preferred_height(strip_w);
    if (lesson_h != m_lesson_height) {
        if (!m_first_layout) m_relayout = true;
        m_lesson_height = lesson_h;
    }
    const PanelLayout layout =
        compute_layout(display, m_menu_height, unit, m_show_controls, m_show_step, lesson_h);
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

    draw_lesson_strip(layout, force);
    place(layout.plots, force);
    if (ImGui::Begin("Plots", nullptr,
                     kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoTitleBar))
        draw_plots(r, b);
    ImGui::End();

    m_step_squeezed = m_show_step && layout.step.size.y <= 0.0f;
    if (m_show_step && layout.step.size.y > 0.0f) {
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
    draw_export_settings();
    draw_session_dialog();
    draw_resume_offer();
    if (const std::optional<std::string> preset = m_controls.take_preset_request())
        load_preset(*preset);
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

    // A frame that becomes a PNG is drawn without the mouse: no hover read-out, no tooltip.
    const bool clean = m_exporter.begin_frame();
    ImGuiIO& io = ImGui::GetIO();
    const bool had_no_mouse = (io.ConfigFlags & ImGuiConfigFlags_NoMouse) != 0;
    if (clean) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
    m_window.begin_frame();
    m_log.take_from(m_live, ImGui::GetTime(), m_options.frames > 0);
    m_compare.take_messages(m_log, ImGui::GetTime());
    handle_shortcuts();
    draw_menu();
    // The frame's own results: nothing is locked while it draws, so whatever a panel does
    // (save, load, end compare mode) cannot wait on a runner, and what it draws stays whole even
    // if B's runner goes during the frame.
    const std::shared_ptr<const live::Results> a = m_live.results();
    const std::shared_ptr<const live::Results> b = m_compare.results();
    draw_windows(*a, b.get());
    m_exporter.set_preset(a->settings.preset);
    if (m_options.export_all && m_frames_done == m_options.frames - 2) export_everything();
    const std::array<float, 3> clear = m_theme.clear_color();
    m_window.end_frame(clear[0], clear[1], clear[2]);
    if (clean && !had_no_mouse) io.ConfigFlags &= ~ImGuiConfigFlags_NoMouse;
    if (m_exporter.busy()) {
        const ImVec2 fb = m_window.framebuffer_size();
        m_exporter.after_render(static_cast<int>(fb.x), static_cast<int>(fb.y), plot_placements());
    }
    take_export_messages();
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
    take_export_messages();
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
