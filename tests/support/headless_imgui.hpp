#pragma once

#include <imgui.h>

#include "plot/plot.hpp"

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

}  // namespace rl_test
