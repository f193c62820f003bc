#include "app/views/headless_plots.hpp"

#include <imgui.h>

#include <stdexcept>

#include "app/views/plot_common.hpp"
#include "app/views/plot_theme.hpp"
#include "app/views/plots.hpp"
#include "io/export_names.hpp"
#include "plot/plot.hpp"
#include "plot/svg_export.hpp"

namespace rl::app {

namespace {

constexpr const char* kFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr float kFontSize = 16.0f;  // the window's normal size at scale 1
// Enough probe ticks for the measured SNR points to settle at the last policy (each tick adds up
// to 2^18 samples per point).
constexpr int kProbeTicks = 24;

// Owns an ImGui and a plot context for as long as it lives, and puts back what was current.
class OffscreenContexts {
  public:
    OffscreenContexts(int width, int height)
        : m_previous_imgui(ImGui::GetCurrentContext()), m_previous_plot(plot::GetCurrentContext()) {
        m_imgui = ImGui::CreateContext();
        ImGui::SetCurrentContext(m_imgui);
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        // Text is measured with the font the SVG names, so labels keep their room in a browser.
        ImFontConfig config;
        config.OversampleH = 1;
        if (io.Fonts->AddFontFromFileTTF(kFontFile, kFontSize, &config, font_glyph_ranges()) ==
            nullptr)
            io.Fonts->AddFontDefault();
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
        m_plot = plot::CreateContext();
        plot::SetCurrentContext(m_plot);
    }
    ~OffscreenContexts() {
        plot::SetCurrentContext(m_previous_plot);
        plot::DestroyContext(m_plot);
        ImGui::DestroyContext(m_imgui);
        ImGui::SetCurrentContext(m_previous_imgui);
    }
    OffscreenContexts(const OffscreenContexts&) = delete;
    OffscreenContexts& operator=(const OffscreenContexts&) = delete;

  private:
    ImGuiContext* m_previous_imgui;
    plot::Context* m_previous_plot;
    ImGuiContext* m_imgui = nullptr;
    plot::Context* m_plot = nullptr;
};

template <typename Draw>
void draw_alone(int width, int height, Draw&& draw) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(width), static_cast<float>(height)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("plots", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground);
    draw(ImVec2(static_cast<float>(width), static_cast<float>(height)));
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::Render();
}

}  // namespace

std::vector<DrawnPlot> draw_plots_headless(const live::Results& results, int width, int height) {
    const OffscreenContexts contexts(width, height);
    ThemeSettings light;
    light.presenter = true;
    plot::PlotStyle style = plot_style_for(light);
    style.scale = 1.0f;
    plot::SetStyle(style);

    ScatterPlot scatter;  // no texture: the SVG embeds the CPU-coloured density
    std::vector<DrawnPlot> drawn;
    const auto collect = [&drawn](const std::vector<PlotPlacement>& placed) {
        for (const PlotPlacement& p : placed) {
            if (const plot::Recording* rec = plot::LastRecording(p.name.c_str()))
                drawn.push_back({p.name, *rec});
        }
    };
    // One plot per frame, each given the whole canvas; the policy plot places its bars beside
    // its lines, as in the window.
    const auto one = [&](auto&& draw_one) {
        std::vector<PlotPlacement> placed;
        draw_alone(width, height, [&](ImVec2 size) { draw_one(size, placed); });
        collect(placed);
    };
    one([&](ImVec2 size, std::vector<PlotPlacement>& placed) {
        draw_policy_plot(results, size, placed);
    });
    one([&](ImVec2 size, std::vector<PlotPlacement>& placed) {
        scatter.draw(results, size, placed);
    });
    one([&](ImVec2 size, std::vector<PlotPlacement>& placed) {
        draw_reward_plot(results, size, placed);
    });
    one([&](ImVec2 size, std::vector<PlotPlacement>& placed) {
        draw_snr_plot(results, size, placed);
    });
    if (results.episodes.active)
        one([&](ImVec2 size, std::vector<PlotPlacement>& placed) {
            draw_credit_strip_plot(results, size, placed);
        });
    if (results.episodes.length.valid)
        one([&](ImVec2 size, std::vector<PlotPlacement>& placed) {
            draw_length_snr_plot(results, size, placed);
        });
    return drawn;
}

std::string write_plot_svgs(const core::Settings& settings, const live::RunnerOptions& options,
                            io::OutputSet& set) {
    std::unique_ptr<live::Runner> live;
    try {
        live = std::make_unique<live::Runner>(settings, options);
    } catch (const std::exception& e) {
        return e.what();
    }
    // All steps in one tick; the session pauses itself at its last step.
    live->set_pace(std::max(1, settings.steps), 1.0);
    live->set_playing(true);
    for (int guard = 0; guard < 4 && live->playing(); ++guard) {
        live->frame();
        live->wait_idle();
    }
    live->set_playing(false);
    for (int i = 0; i < kProbeTicks; ++i) {
        live->frame();
        live->wait_idle();
    }

    std::vector<DrawnPlot> drawn;
    live->read([&drawn](const live::Results& r) { drawn = draw_plots_headless(r, 900, 600); });
    live.reset();

    const plot::SvgOptions svg{.background = page_color_for({.presenter = true})};
    for (const DrawnPlot& d : drawn) {
        std::string name = io::file_name_part(d.name);
        name += ".svg";
        if (std::string error = set.write(name, plot::recording_to_svg(d.recording, svg));
            !error.empty())
            return error;
    }
    return {};
}

}  // namespace rl::app
