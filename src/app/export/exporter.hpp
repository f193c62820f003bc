#pragma once

#include <imgui.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "app/export/background_writer.hpp"
#include "app/views/plots.hpp"
#include "live/runner.hpp"
#include "plot/recording.hpp"

// Everything the user can save from the window: a PNG of the window (F12), a PNG, SVG or CSV of
// one plot (its context menu), and a PNG sequence of the window ("Record", for making a GIF).
// Files go to one export folder, named <preset>_<plot>_<time>.<ext>; an existing file is never
// replaced, and a failed export leaves no partial file and says why.
namespace rl::app {

enum class PlotFormat { kPng, kSvg, kCsv };

class Exporter {
  public:
    explicit Exporter(std::filesystem::path folder);
    ~Exporter();
    Exporter(const Exporter&) = delete;
    Exporter& operator=(const Exporter&) = delete;

    const std::filesystem::path& folder() const { return m_folder; }
    void set_folder(std::filesystem::path folder) { m_folder = std::move(folder); }
    // The preset's name starts every file name ("session" when it has none).
    void set_preset(const std::string& preset) { m_preset = preset; }

    // SVG and CSV are written at once from the plot's last recording; `page` is the colour the
    // plot sat on, painted behind the SVG.
    void export_recording(const std::string& plot_name, PlotFormat format, plot::Rgba page);

    // PNGs are taken from the next frame, which the app draws without mouse hover so no
    // tooltip or open menu lands in the picture.
    void request_window_png();
    void request_plot_png(const std::string& plot_name);

    // Call at the start of each frame: true when this frame is captured, and so should be drawn
    // without the mouse.
    bool begin_frame();
    // True when after_render has work this frame (a capture or a recording).
    bool busy() const { return m_capture_this_frame || m_recording; }
    // Call after the frame is rendered, before the swap, with the GL context current. `placed`
    // are this frame's plot rectangles in framebuffer pixels.
    void after_render(int framebuffer_width, int framebuffer_height,
                      const std::vector<PlotPlacement>& placed);

    // Starts writing a PNG of the window every `every_frames` frames into a new folder inside
    // the export folder. Messages say where, or why not.
    void start_recording(int every_frames);
    void stop_recording();
    bool recording() const { return m_recording; }
    int recorded_frames() const { return m_recorded; }

    // Messages from exports since the last call (saved files and failures), oldest first.
    std::vector<live::Message> take_messages();
    // Blocks until every file asked for is written (scripted runs, exit).
    void finish();

  private:
    struct PngRequest {
        std::string plot;  // empty: the whole window
    };
    bool ensure_folder(const std::filesystem::path& folder);
    std::filesystem::path file_for(const std::string& plot, const std::string& ext) const;
    // False when the writer's queue was full and the picture was dropped.
    bool capture(const std::string& what, const std::filesystem::path& wanted, int x, int y,
                 int width, int height, int framebuffer_height, std::size_t max_pending);

    std::filesystem::path m_folder;
    std::string m_preset;
    std::vector<PngRequest> m_requests;
    bool m_capture_this_frame = false;
    bool m_recording = false;
    int m_record_every = 1;
    int m_record_countdown = 0;
    int m_recorded = 0;
    int m_record_dropped = 0;
    std::filesystem::path m_record_folder;
    std::vector<live::Message> m_messages;
    BackgroundWriter m_writer;
};

}  // namespace rl::app
