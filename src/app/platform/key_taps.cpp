#include "app/platform/key_taps.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>

namespace rl::app {

namespace {

constexpr int kKeyCount = static_cast<int>(sizeof(ImGuiIO::KeysDown) / sizeof(bool));

void set_modifiers_from_keys(ImGuiIO& io) {
    const auto down = [&io](int a, int b) { return io.KeysDown[a] || io.KeysDown[b]; };
    io.KeyCtrl = down(GLFW_KEY_LEFT_CONTROL, GLFW_KEY_RIGHT_CONTROL);
    io.KeyShift = down(GLFW_KEY_LEFT_SHIFT, GLFW_KEY_RIGHT_SHIFT);
    io.KeyAlt = down(GLFW_KEY_LEFT_ALT, GLFW_KEY_RIGHT_ALT);
    io.KeySuper = down(GLFW_KEY_LEFT_SUPER, GLFW_KEY_RIGHT_SUPER);
}

}  // namespace

void KeyTaps::on_key(int key, int action, int mods) {
    if (action == GLFW_PRESS && key >= 0 && key < kKeyCount) m_pressed.push_back({key, mods});
}

void KeyTaps::before_frame(ImGuiIO& io) {
    for (int key : m_held) {
        const bool pressed_again = std::any_of(m_pressed.begin(), m_pressed.end(),
                                               [key](const Tap& t) { return t.key == key; });
        if (!pressed_again) io.KeysDown[key] = false;
    }
    m_held.clear();
    for (const Tap& tap : m_pressed) {
        if (io.KeysDown[tap.key]) continue;  // still down: the frame sees it anyway
        io.KeysDown[tap.key] = true;
        m_held.push_back(tap.key);
    }
    // The modifiers as the keys now stand (a tapped Ctrl held too), and as each key pressed since
    // the last frame was pressed: Ctrl let go a moment before the S of a quick Ctrl+S still counts.
    set_modifiers_from_keys(io);
    for (const Tap& tap : m_pressed) {
        io.KeyCtrl = io.KeyCtrl || (tap.mods & GLFW_MOD_CONTROL) != 0;
        io.KeyShift = io.KeyShift || (tap.mods & GLFW_MOD_SHIFT) != 0;
        io.KeyAlt = io.KeyAlt || (tap.mods & GLFW_MOD_ALT) != 0;
        io.KeySuper = io.KeySuper || (tap.mods & GLFW_MOD_SUPER) != 0;
    }
    m_pressed.clear();
}

}  // namespace rl::app
