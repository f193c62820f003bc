// A key pressed and released between two frames (a presentation clicker, a quick Ctrl+S) must
// still reach the window: ImGui 1.86 looks at the keyboard once a frame.

#include <GLFW/glfw3.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include "app/platform/key_taps.hpp"

namespace {

// What ImGui's GLFW backend does with a key event, before the app's frame.
void backend_key(ImGuiIO& io, rl::app::KeyTaps& taps, int key, int action, int mods) {
    taps.on_key(key, action, mods);
    io.KeysDown[key] = action != GLFW_RELEASE;
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
}

struct Context {
    Context() { ImGui::CreateContext(); }
    ~Context() { ImGui::DestroyContext(); }
};

}  // namespace

TEST_CASE("key taps: a tap between frames is down for one frame, then let go") {
    Context context;
    ImGuiIO& io = ImGui::GetIO();
    rl::app::KeyTaps taps;
    backend_key(io, taps, GLFW_KEY_PAGE_DOWN, GLFW_PRESS, 0);
    backend_key(io, taps, GLFW_KEY_PAGE_DOWN, GLFW_RELEASE, 0);
    REQUIRE_FALSE(io.KeysDown[GLFW_KEY_PAGE_DOWN]);
    taps.before_frame(io);
    CHECK(io.KeysDown[GLFW_KEY_PAGE_DOWN]);
    taps.before_frame(io);
    CHECK_FALSE(io.KeysDown[GLFW_KEY_PAGE_DOWN]);
}

TEST_CASE("key taps: Ctrl let go before S in a quick Ctrl+S still makes Ctrl+S") {
    Context context;
    ImGuiIO& io = ImGui::GetIO();
    // The order xdotool and fast hands produce: Ctrl down, S down, Ctrl up, S up.
    for (const bool s_released : {true, false}) {
        INFO("S released before the frame: " << s_released);
        rl::app::KeyTaps taps;
        backend_key(io, taps, GLFW_KEY_LEFT_CONTROL, GLFW_PRESS, 0);
        backend_key(io, taps, GLFW_KEY_S, GLFW_PRESS, GLFW_MOD_CONTROL);
        backend_key(io, taps, GLFW_KEY_LEFT_CONTROL, GLFW_RELEASE, GLFW_MOD_CONTROL);
        if (s_released) backend_key(io, taps, GLFW_KEY_S, GLFW_RELEASE, 0);
        REQUIRE_FALSE(io.KeyCtrl);
        taps.before_frame(io);
        CHECK(io.KeysDown[GLFW_KEY_S]);
        CHECK(io.KeyCtrl);
        if (!s_released) backend_key(io, taps, GLFW_KEY_S, GLFW_RELEASE, 0);
        taps.before_frame(io);
        CHECK_FALSE(io.KeysDown[GLFW_KEY_S]);
        CHECK_FALSE(io.KeyCtrl);
    }
}

TEST_CASE("key taps: a key held across frames is left to the backend") {
    Context context;
    ImGuiIO& io = ImGui::GetIO();
    rl::app::KeyTaps taps;
    backend_key(io, taps, GLFW_KEY_RIGHT, GLFW_PRESS, 0);
    taps.before_frame(io);
    CHECK(io.KeysDown[GLFW_KEY_RIGHT]);
    taps.before_frame(io);
    CHECK(io.KeysDown[GLFW_KEY_RIGHT]);  // still held by the person
    backend_key(io, taps, GLFW_KEY_RIGHT, GLFW_RELEASE, 0);
    taps.before_frame(io);
    CHECK_FALSE(io.KeysDown[GLFW_KEY_RIGHT]);
}
