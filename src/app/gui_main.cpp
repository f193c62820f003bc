#include "app/gui_main.hpp"

#include <imgui.h>

#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "app/app.hpp"
#include "app/config_paths.hpp"
#include "app/theme.hpp"
#include "app/window.hpp"
#include "core/compare_settings.hpp"
#include "io/headless.hpp"

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
    // Where each plot was drawn, so a test can look inside it on the screenshot.
    for (const PlotPlacement& p : app.plot_placements())
        out << "plot " << p.name << " " << static_cast<int>(p.min.x) << " "
            << static_cast<int>(p.min.y) << " " << static_cast<int>(p.max.x) << " "
            << static_cast<int>(p.max.y) << "\n";
}

}  // namespace

int run_gui(const Session& session, const io::GuiRequest& request, std::ostream& out,
            std::ostream& err) {
    const bool scripted = request.frames > 0;
    WindowOptions window_options;
    window_options.title = "REINFORCE Lab";
    window_options.width = request.width > 0 ? request.width : kDefaultWidth;
    window_options.height = request.height > 0 ? request.height : kDefaultHeight;
    if (request.width == 0 && !scripted) {
        if (const auto saved = load_window_size()) {
            window_options.width = saved->first;
            window_options.height = saved->second;
        }
    }
    // A scripted run must look the same on every machine: no remembered layout or size.
    if (!scripted && !config_dir().empty()) window_options.ini_path = config_dir() / "imgui.ini";
    window_options.remember_size = !scripted;

    const live::LiveOptions live_options{request.engine, request.threads};
    CompareSession compare;
    if (!request.compare_sets.empty()) {
        compare = compare_session(session, request.compare_sets);
        if (!compare.session) {
            err << "reinforce-lab: --compare " << compare.error << "\n";
            return io::kExitUsage;
        }
    }
    std::unique_ptr<live::LiveSession> live;
    try {
        live = std::make_unique<live::LiveSession>(session, live_options);
    } catch (const std::invalid_argument& e) {
        err << "reinforce-lab: " << e.what() << "\n";
        return io::kExitUsage;
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
        options.lockstep = scripted;
        options.live = live_options;
        options.compare = compare.session;
        options.compare_note = compare.note;
        App app(*window, theme, *live, options);
        while (app.frame()) {
        }
        code = app.exit_code();
        if (scripted) report_run(app, out);
        if (!font_message.empty() && scripted) out << font_message << "\n";
    }
    // The worker stops before the window and its GL context go.
    live.reset();
    return code;
}

}  // namespace rl::app
