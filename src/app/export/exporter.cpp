#include "app/export/exporter.hpp"

#include <algorithm>
#include <cstdio>
#include <system_error>
#include <utility>

#include "app/export/screenshot.hpp"
#include "io/atomic_file.hpp"
#include "io/export_names.hpp"
#include "plot/csv_export.hpp"
#include "plot/plot.hpp"
#include "plot/svg_export.hpp"

namespace rl::app {

namespace {

// Full-window frames waiting to be encoded; beyond this a recording drops frames (and says so)
// instead of holding hundreds of megabytes.
constexpr std::size_t kMaxPendingFrames = 8;
// Exports the user asked for one by one are never dropped.
constexpr std::size_t kUnlimited = static_cast<std::size_t>(-1);

live::Message saved_or_failed(const io::NewFileResult& written) {
    if (!written.error.empty()) return {live::Level::kError, "Export failed: " + written.error};
    return {live::Level::kInfo, "Saved " + written.path.string()};
}

}  // namespace

Exporter::Exporter(std::filesystem::path folder) : m_folder(std::move(folder)) {}

Exporter::~Exporter() = default;

bool Exporter::ensure_folder(const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!ec && std::filesystem::is_directory(folder, ec)) return true;
    m_messages.push_back(
        {live::Level::kError, "Export failed: cannot use the folder " + folder.string() + ": " +
                                  (ec ? ec.message() : std::string("not a folder"))});
    return false;
}

std::filesystem::path Exporter::file_for(const std::string& plot, const std::string& ext) const {
    return m_folder / io::export_file_name(m_preset, plot, ext, std::chrono::system_clock::now());
}

void Exporter::export_recording(const std::string& plot_name, PlotFormat format, plot::Rgba page) {
    const plot::Recording* rec = plot::LastRecording(plot_name.c_str());
    if (rec == nullptr) {
        m_messages.push_back(
            {live::Level::kError, "Export failed: the plot " + plot_name + " is not on screen"});
        return;
    }
    if (!ensure_folder(m_folder)) return;
    const bool svg = format == PlotFormat::kSvg;
    std::string contents =
        svg ? plot::recording_to_svg(*rec, {.background = page}) : plot::recording_to_csv(*rec);
    const std::filesystem::path wanted = file_for(plot_name, svg ? "svg" : "csv");
    // Small text files: written at once, so the message comes with the click.
    m_messages.push_back(saved_or_failed(io::write_new_file(wanted, contents)));
}

void Exporter::request_window_png() {
    m_requests.push_back({});
}

void Exporter::request_plot_png(const std::string& plot_name) {
    m_requests.push_back({plot_name});
}

bool Exporter::begin_frame() {
    m_capture_this_frame = !m_requests.empty();
    return m_capture_this_frame;
}

bool Exporter::capture(const std::string& what, const std::filesystem::path& wanted, int x, int y,
                       int width, int height, int framebuffer_height, std::size_t max_pending) {
    std::vector<std::uint8_t> rgba;
    if (const std::string error =
            read_back_buffer(x, y, width, height, framebuffer_height, rgba, what);
        !error.empty()) {
        m_messages.push_back({live::Level::kError, "Export failed: " + error});
        return false;
    }
    auto job = [rgba = std::move(rgba), width, height, wanted]() -> live::Message {
        std::string bytes;
        if (const std::string error = encode_png(rgba.data(), width, height, bytes); !error.empty())
            return {live::Level::kError, "Export failed: " + wanted.string() + ": " + error};
        return saved_or_failed(io::write_new_file(wanted, bytes));
    };
    if (m_writer.submit(std::move(job), max_pending)) return true;
    ++m_record_dropped;
    return false;
}

void Exporter::after_render(int framebuffer_width, int framebuffer_height,
                            const std::vector<PlotPlacement>& placed) {
    if (m_capture_this_frame) {
        m_capture_this_frame = false;
        std::vector<PngRequest> requests = std::exchange(m_requests, {});
        if (ensure_folder(m_folder)) {
            for (const PngRequest& r : requests) {
                if (r.plot.empty()) {
                    capture("window", file_for("window", "png"), 0, 0, framebuffer_width,
                            framebuffer_height, framebuffer_height, kUnlimited);
                    continue;
                }
                bool found = false;
                for (const PlotPlacement& p : placed) {
                    if (p.name != r.plot) continue;
                    found = true;
                    const int x0 = std::max(0, static_cast<int>(p.min.x));
                    const int y0 = std::max(0, static_cast<int>(p.min.y));
                    const int x1 = std::min(framebuffer_width, static_cast<int>(p.max.x));
                    const int y1 = std::min(framebuffer_height, static_cast<int>(p.max.y));
                    capture(r.plot, file_for(r.plot, "png"), x0, y0, x1 - x0, y1 - y0,
                            framebuffer_height, kUnlimited);
                }
                if (!found)
                    m_messages.push_back({live::Level::kError, "Export failed: the plot " + r.plot +
                                                                   " is not on screen"});
            }
        }
    }
    if (m_recording && --m_record_countdown <= 0) {
        m_record_countdown = m_record_every;
        // Numbered without gaps, so a GIF tool taking the files in name order gets every frame.
        char name[32];
        std::snprintf(name, sizeof name, "frame_%06d.png", m_recorded + 1);
        if (capture("recording", m_record_folder / name, 0, 0, framebuffer_width,
                    framebuffer_height, framebuffer_height, kMaxPendingFrames))
            ++m_recorded;
    }
}

void Exporter::start_recording(int every_frames) {
    m_record_every = std::max(1, every_frames);
    const std::string base = file_for("record", "").filename().string();
    std::filesystem::path folder = m_folder / base;
    // Two recordings started within a second get their own folders.
    for (int n = 2; std::filesystem::exists(folder); ++n)
        folder = m_folder / (base + "-" + std::to_string(n));
    if (!ensure_folder(folder)) return;
    m_record_folder = folder;
    m_recording = true;
    m_record_countdown = 0;
    m_recorded = 0;
    m_record_dropped = 0;
    m_messages.push_back({live::Level::kInfo, "Recording every " + std::to_string(m_record_every) +
                                                  " frames into " + folder.string()});
}

void Exporter::stop_recording() {
    if (!m_recording) return;
    m_recording = false;
    std::string text =
        "Recorded " + std::to_string(m_recorded) + " frames into " + m_record_folder.string();
    if (m_record_dropped > 0)
        text += " (" + std::to_string(m_record_dropped) +
                " skipped: the disk could not keep up; try a larger interval)";
    m_messages.push_back({live::Level::kInfo, text});
}

std::vector<live::Message> Exporter::take_messages() {
    std::vector<live::Message> out = std::exchange(m_messages, {});
    for (live::Message& m : m_writer.take_messages())
        out.push_back(std::move(m));
    return out;
}

void Exporter::finish() {
    m_writer.wait_idle();
}

}  // namespace rl::app
