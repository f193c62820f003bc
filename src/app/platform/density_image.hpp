#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/views/plots.hpp"

namespace rl::app {

// The colormapped density image of the gradient cloud, drawn on the GPU: the 2-D histogram goes
// up as a float texture and a fragment shader colours it (colormap.hpp) into an RGBA texture that
// ImGui and the plot module draw like any image. If the shaders or the framebuffer cannot be set
// up, it says why in message() and colours on the CPU instead; the image looks the same, only
// without the bilinear smoothing.
//
// Every method needs the window's GL context current; destroy it before the Window.
//
// Orientation: row 0 of texture() is the HIGHEST y bin, the usual order of an image, so ImGui's
// default uvs show y up: ImGui::Image(texture(), size) or
// draw_list->AddImage(texture(), top_left, bottom_right) with uv0() = (0,0), uv1() = (1,1) puts
// the bin row bins_y-1 at the top edge and column 0 at the left.
class DensityImage final : public DensityTexture {
  public:
    static ImVec2 uv0() { return ImVec2(0.0f, 0.0f); }
    static ImVec2 uv1() { return ImVec2(1.0f, 1.0f); }
    // Larger histograms are refused with a message: a texture side must stay small enough for
    // every GL 3.3 driver once scaled up.
    static constexpr int kMaxBins = 2048;

    // allow_gpu = false skips the shaders altogether (tests of the fallback).
    explicit DensityImage(bool allow_gpu = true);
    ~DensityImage() override;
    DensityImage(const DensityImage&) = delete;
    DensityImage& operator=(const DensityImage&) = delete;

    // counts: bins_x * bins_y bin counts, row-major with y outer and row 0 the lowest y. Replaces
    // the image; GL state it touches is restored, so it may be called while an ImGui frame is
    // being built. Bad sizes or a null pointer clear the image (texture() becomes null) and set
    // message().
    void update(const std::uint32_t* counts, int bins_x, int bins_y) override;

    // The RGBA image, or null before the first good update().
    ImTextureID texture() const override;
    int width() const { return m_width; }
    int height() const { return m_height; }
    // True while the shaders draw the image; false after a fallback to the CPU.
    bool uses_gpu() const { return m_gpu_state == GpuState::kReady; }
    // Why the CPU fallback is in use, or why the last update() was refused; "" otherwise.
    const std::string& message() const { return m_message; }

  private:
    enum class GpuState { kUntried, kReady, kFailed };

    bool set_up_gpu();
    void release_gpu();
    bool draw_on_gpu(int bins_x, int bins_y, float one_count);
    void draw_on_cpu(const std::uint32_t* counts, int bins_x, int bins_y);
    void ensure_color_texture(int width, int height);

    GpuState m_gpu_state = GpuState::kUntried;
    std::string m_message;
    std::string m_fallback_reason;
    unsigned m_program = 0;
    unsigned m_vertex_array = 0;
    unsigned m_framebuffer = 0;
    unsigned m_levels_texture = 0;
    unsigned m_color_texture = 0;
    int m_levels_location = -1;
    int m_one_count_location = -1;
    int m_levels_width = 0;
    int m_levels_height = 0;
    int m_width = 0;
    int m_height = 0;
    bool m_has_image = false;
    std::vector<float> m_levels;
    std::vector<std::uint8_t> m_rgba;
};

}  // namespace rl::app
