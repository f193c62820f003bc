#include "app/shell/gui_main.hpp"

#include <imgui.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <stdexcept>

#include "app/platform/config_paths.hpp"
#include "app/platform/theme.hpp"
#include "app/platform/window.hpp"
#include "app/shell/app.hpp"
#include "core/compare_settings.hpp"
#include "io/export_names.hpp"
#include "io/headless.hpp"
#include "plot/plot.hpp"

namespace rl::app {

namespace {

constexpr int kDefaultWidth = 1600;
constexpr int kDefaultHeight = 900;

void report_run(const App& app, std::ostream& out) {
    const FrameStats& s = app.stats();
    char line[256];
    std::snprintf(line, sizeof line,
                  "frames %zu: work %.2f ms mean, %.2f ms max, %.0f%% within 16.7 ms; "
                  "%.2f ms between frames (%.1f fps)\n",
                  s.count(), s.mean_work_ms(), s.max_work_ms(), 100.0 * s.on_time_share(),
                  s.mean_interval_ms(),
                  s.mean_interval_ms() > 0.0 ? 1000.0 / s.mean_interval_ms() : 0.0);
    out << line;
    // The distributions bench/frame_bench.sh reads: the median frame and the slow ones.
    std::snprintf(line, sizeof line,
                  "frame times: work median %.2f ms, p95 %.2f ms; between frames median %.2f ms, "
                  "p95 %.2f ms; engine tick median %.2f ms, p95 %.2f ms\n",
                  s.work_quantile(0.5), s.work_quantile(0.95), s.interval_quantile(0.5),
                  s.interval_quantile(0.95), s.engine_quantile(0.5), s.engine_quantile(0.95));
    out << line;
    // What the last frame asked the renderer for: on a software rasteriser the frame's cost.
    const ImGuiIO& io = ImGui::GetIO();
    int commands = 0;
    if (const ImDrawData* data = ImGui::GetDrawData())
        for (int i = 0; i < data->CmdListsCount; ++i)
            commands += data->CmdLists[i]->CmdBuffer.Size;
    std::snprintf(
        line, sizeof line, "draw data: %d vertices, %d indices, %d draw calls, %d windows\n",
        io.MetricsRenderVertices, io.MetricsRenderIndices, commands, io.MetricsRenderWindows);
    out << line;
    // Where each plot was drawn, so a test can look inside it on the screenshot.
    for (const PlotPlacement& p : app.plot_placements())
        out << "plot " << p.name << " " << static_cast<int>(p.min.x) << " "
            << static_cast<int>(p.min.y) << " " << static_cast<int>(p.max.x) << " "
            << static_cast<int>(p.max.y) << "\n";
    // With RL_LAYOUT_REPORT set, each plot's data area and the box of every text it drew, in
    // window pixels, for the layout tests: "area NAME|x0 y0 x1 y1", "text NAME|x0 y0 x1 y1|TEXT".
    const char* report = std::getenv("RL_LAYOUT_REPORT");
    if (report == nullptr || *report == '\0') return;
    for (const PlotPlacement& p : app.plot_placements()) {
        const plot::Recording* rec = plot::LastRecording(p.name.c_str());
        if (rec == nullptr) continue;
        const auto px = [&](float v, float origin) {
            return static_cast<int>(std::floor(v + origin));
        };
        const plot::Box& a = rec->plot_area;
        out << "area " << p.name << "|" << px(a.x0, p.min.x) << " " << px(a.y0, p.min.y) << " "
            << px(a.x1, p.min.x) << " " << px(a.y1, p.min.y) << "\n";
        for (const plot::TextBox& t : plot::text_boxes(*rec)) {
            out << "text " << p.name << "|" << px(t.box.x0, p.min.x) << " " << px(t.box.y0, p.min.y)
                << " " << px(t.box.x1, p.min.x) << " " << px(t.box.y1, p.min.y) << "|" << t.text
                << "\n";
        }
    }
}

volatile std::sig_atomic_t g_stop_requested = 0;

extern "C" void request_stop(int) {
    g_stop_requested = 1;
}

// The session saved when the app last closed, offered back. A file that is refused is reported
// and kept aside under another name: the user keeps it, and the next start is not refused again
// (nor is it overwritten on exit by the session of this run).
void offer_last_session(App& app) {
    const std::filesystem::path file = last_session_file();
    std::error_code ec;
    if (file.empty() || !std::filesystem::exists(file, ec)) return;
    io::SessionFileResult loaded = io::read_session_file(file);
    if (!loaded) {
        std::string error;
        const std::filesystem::path kept = keep_refused_session(file, error);
        // Where it went comes first: a long reason is cut at the end of the line.
        app.note(live::Level::kWarning,
                 "The last session was refused" +
                     (kept.empty() ? " (" + error + ")" : " (kept as " + kept.string() + ")") +
                     "; the default lesson opened instead. " + loaded.error);
        return;
    }
    const io::SessionFile& d = *loaded.document;
    std::string what = (d.settings.title.empty() ? d.settings.preset : d.settings.title) +
                       ", step " + std::to_string(d.step);
    if (d.lesson_step >= 0)
        what += ", lesson step " + std::to_string(d.lesson_step + 1) + " of " +
                std::to_string(d.lesson.steps.size());
    core::Settings base = control::lesson_base_for(d);
    app.offer_session(std::move(*loaded.document), std::move(base), std::move(what));
}

}  // namespace

int run_gui(const io::SessionFile& document, const io::GuiRequest& request, std::ostream& out,
            std::ostream& err) {
    const core::Settings& settings = document.settings;
    const bool scripted = request.frames > 0;
    WindowOptions window_options;
    window_options.title = "REINFORCE Lab";
    window_options.width = request.width > 0 ? request.width : kDefaultWidth;
    window_options.height = request.height > 0 ? request.height : kDefaultHeight;
    const auto saved_size = scripted ? std::nullopt : load_window_size();
    if (request.width == 0 && saved_size) {
        window_options.width = saved_size->first;
        window_options.height = saved_size->second;
    }
    // The panels ImGui remembers fit the size and mode they were left in: presenter mode keeps
    // its own, and another size gets the layout afresh.
    const bool same_size = saved_size && saved_size->first == window_options.width &&
                           saved_size->second == window_options.height;
    // A scripted run must look the same on every machine: no remembered layout or size.
    if (!scripted && !config_dir().empty())
        window_options.ini_path =
            config_dir() / (request.presenter ? "imgui-presenter.ini" : "imgui.ini");
    window_options.remember_size = !scripted;

    const live::RunnerOptions live_options{request.engine, request.threads, request.memory_limit};
    core::CompareSettings compare;
    if (!request.compare_sets.empty()) {
        compare = core::compare_settings(settings, request.compare_sets);
        if (!compare.settings) {
            err << "reinforce-lab: --compare " << compare.error << "\n";
            return io::kExitUsage;
        }
    }
    std::unique_ptr<control::Lab> lab;
    try {
        lab = std::make_unique<control::Lab>(settings, live_options);
    } catch (const std::invalid_argument& e) {
        err << "reinforce-lab: " << e.what() << "\n";
        return io::kExitUsage;
    }
    const core::Settings lesson_base = control::lesson_base_for(document);
    // A scripted run's frames each take a step batch, whatever pace the lesson would set.
    lab->set_lesson_paced(!scripted);
    if (document.step > 0 || !document.history.empty()) {
        if (const std::string error = lab->load(document, lesson_base, request.source);
            !error.empty()) {
            err << "reinforce-lab: " << error << "\n";
            return io::kExitUsage;
        }
        lab->transport().wait_idle();
    } else {
        lab->set_lesson(document.lesson, lesson_base, document.lesson_step);
    }

    std::string error;
    std::unique_ptr<Window> window = Window::create(window_options, error);
    if (!window) {
        err << "reinforce-lab: " << error << "\n";
        return io::kExitUsage;
    }
    int code = 0;
    {
        Theme theme;
        const std::string font_message = theme.load_fonts(window->content_scale());
        theme.apply({.presenter = request.presenter, .dpi_scale = window->content_scale()});
        AppOptions options;
        options.frames = request.frames;
        options.screenshot = request.screenshot;
        options.lockstep = scripted && !request.free_running;
        options.export_all = !request.export_dir.empty();
        options.record_every = request.record_every;
        options.remember_settings = !scripted;
        options.keep_remembered_layout = same_size;
        if (!request.export_dir.empty()) {
            options.export_folder = request.export_dir;
        } else if (const auto saved = scripted ? std::nullopt : load_export_folder()) {
            options.export_folder = *saved;
        } else {
            options.export_folder = io::default_export_folder();
        }
        options.compare = compare.settings;
        options.compare_note = compare.note;
        App app(*window, theme, *lab, options, request.lesson_step);
        if (!scripted) offer_last_session(app);
        // A terminal's Ctrl+C or a logout's SIGTERM closes the window the normal way, so the
        // session is still kept for next time.
        g_stop_requested = 0;
        std::signal(SIGINT, request_stop);
        std::signal(SIGTERM, request_stop);
        while (!g_stop_requested && app.frame()) {
        }
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        code = app.exit_code();
        if (scripted && !request.save_session.empty()) {
            if (const std::string e = lab->save(request.save_session); !e.empty()) {
                err << "reinforce-lab: --save-session: " << e << "\n";
                code = io::kExitFailure;
            } else {
                out << "saved session " << request.save_session << "\n";
            }
        }
        if (!scripted && !last_session_file().empty()) {
            // Never lose a class's session: the next start offers it back.
            if (const std::string e = lab->save(last_session_file()); !e.empty())
                err << "reinforce-lab: could not keep the session for next time: " << e << "\n";
        }
        if (scripted) report_run(app, out);
        if (!font_message.empty() && scripted) out << font_message << "\n";
    }
    // The runners' workers stop before the window and its GL context go.
    lab.reset();
    return code;
}

}  // namespace rl::app
