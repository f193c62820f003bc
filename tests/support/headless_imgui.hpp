#pragma once

#include <imgui.h>

#include <string_view>

#include "plot/plot.hpp"
#include "plot/recording.hpp"

namespace rl_test {

// A Dear ImGui context with a built font atlas and no window or renderer, plus a current plot
// context, both destroyed at scope exit. frame() runs one whole ImGui frame with `body` inside a
// full-screen window; set io() fields (mouse) before calling it to simulate input.
class HeadlessImGui {
  public:
    static constexpr float kWidth = 800;
    static constexpr float kHeight = 600;

    HeadlessImGui() {
        m_imgui = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(kWidth, kHeight);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        io.LogFilename = nullptr;
        // What the OpenGL3 backend declares; lets big plots exceed 64k vertices per draw list.
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        m_plot = rl::plot::CreateContext();
        rl::plot::SetCurrentContext(m_plot);
    }
    ~HeadlessImGui() {
        rl::plot::DestroyContext(m_plot);
        ImGui::DestroyContext(m_imgui);
    }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    ImGuiIO& io() { return ImGui::GetIO(); }

    template <typename Body>
    void frame(Body&& body) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(kWidth, kHeight));
        ImGui::Begin("plots", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings);
        m_origin = ImGui::GetCursorScreenPos();
        body();
        ImGui::End();
        ImGui::Render();
    }

    // Where the first widget of the last frame started (screen pixels).
    ImVec2 origin() const { return m_origin; }

  private:
    ImGuiContext* m_imgui = nullptr;
    rl::plot::Context* m_plot = nullptr;
    ImVec2 m_origin;
};

// The screen point of data point (x, y) in the recorded plot, as the last frame laid it out.
inline ImVec2 screen_of(const HeadlessImGui& ui, const rl::plot::Recording& rec, double x,
                        double y) {
    const rl::plot::Box& a = rec.plot_area;
    const double fx = (x - rec.x.min) / (rec.x.max - rec.x.min);
    const double fy = (y - rec.y.min) / (rec.y.max - rec.y.min);
    return {ui.origin().x + a.x0 + static_cast<float>(fx * a.width()),
            ui.origin().y + a.y1 - static_cast<float>(fy * a.height())};
}

// Whether the recording draws the text `s` anywhere.
inline bool has_text(const rl::plot::Recording& rec, std::string_view s) {
    for (const rl::plot::Primitive& p : rec.primitives) {
        if (rec.text(p) == s) return true;
    }
    return false;
}

}  // namespace rl_test
