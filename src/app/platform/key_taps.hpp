#pragma once

#include <imgui.h>

#include <vector>

// ImGui 1.86 reads the keyboard once a frame, from "is the key down now": a key pressed and
// released between two frames (a presentation clicker's Page Down, a quick Ctrl+S, a test's
// xdotool) was never seen down and is lost. This keeps such a key down for one frame, with the
// modifiers it was pressed with, then lets it go.
namespace rl::app {

class KeyTaps {
  public:
    // From GLFW's key callback, with its action and modifier bits.
    void on_key(int key, int action, int mods);
    // Before ImGui::NewFrame: lets go of the keys held for the last frame, then holds the taps
    // that were released before this frame could see them.
    void before_frame(ImGuiIO& io);

  private:
    struct Tap {
        int key = 0;
        int mods = 0;
    };
    std::vector<Tap> m_pressed;  // since the last frame
    std::vector<int> m_held;     // down only because of a tap
};

}  // namespace rl::app
