#pragma once

// Drives the real reinforce-lab window as a person would: a private Xvfb display, the app on it
// (interactive, no --frames), keys, typing and clicks through xdotool, screenshots through
// ImageMagick. The app reports where its controls are (RL_UI_PROBE, app/panels/ui_probe.hpp), so
// a click lands on the button a person would press.

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"
#include "support/time_scale.hpp"

namespace rl_test {

struct ProbeBox {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int cx() const { return (x0 + x1) / 2; }
    int cy() const { return (y0 + y1) / 2; }
};

// What the window last reported.
struct Probe {
    long long frame = -1;
    std::string status;
    bool typing = false;                // a text field has the keyboard
    std::vector<std::string> messages;  // the recent messages, oldest first
    std::map<std::string, ProbeBox> items, windows;
};

inline Probe read_probe(const std::filesystem::path& file) {
    Probe p;
    for (const std::string& line : lines_of(read_text(file))) {
        if (line.rfind("frame ", 0) == 0) {
            p.frame = std::stoll(line.substr(6));
        } else if (line.rfind("status ", 0) == 0) {
            p.status = line.substr(7);
        } else if (line.rfind("message ", 0) == 0) {
            p.messages.push_back(line.substr(8));
        } else if (line == "typing yes") {
            p.typing = true;
        } else if (line.rfind("item ", 0) == 0 || line.rfind("window ", 0) == 0) {
            const bool item = line[0] == 'i';
            std::istringstream in(line.substr(item ? 5 : 7));
            std::vector<std::string> words;
            for (std::string w; in >> w;)
                words.push_back(w);
            if (words.size() < 5) continue;
            // The name may hold spaces; the last four words are the rectangle.
            const std::size_t n = words.size();
            const std::size_t name_end = line.rfind(' ' + words[n - 4] + ' ' + words[n - 3] + ' ' +
                                                    words[n - 2] + ' ' + words[n - 1]);
            const std::string name = line.substr(item ? 5 : 7, name_end - (item ? 5 : 7));
            (item ? p.items : p.windows)[name] = {std::stoi(words[n - 4]), std::stoi(words[n - 3]),
                                                  std::stoi(words[n - 2]), std::stoi(words[n - 1])};
        }
    }
    return p;
}

class GuiDriver {
  public:
    // `args`: the app's arguments after the program (no --frames: it runs until stopped).
    // `width` x `height`: the screen, which the window fills.
    GuiDriver(const std::string& args, const TempDir& dir, int width = 1600, int height = 900)
        : m_dir(dir.path), m_probe(dir.path / "probe.txt") {
        start_display(width, height);
        std::filesystem::create_directories(home());
        std::filesystem::create_directories(config());
        SpawnOptions options;
        options.output = m_dir / "app.log";
        options.environment = {"DISPLAY=" + m_display, "RL_UI_PROBE=" + m_probe.string(),
                               "HOME=" + home().string(), "XDG_CONFIG_HOME=" + config().string()};
        // Under AddressSanitizer the window keeps every check but the leak check, as
        // scripts/sanitizers/xvfb-run explains: Mesa's driver leaks and is unloaded at exit.
        if (const char* asan = std::getenv("ASAN_OPTIONS"); asan != nullptr)
            options.environment.push_back(std::string("ASAN_OPTIONS=") + asan + ":detect_leaks=0");
        std::vector<std::string> argv = {RL_TEST_APP_PATH};
        std::istringstream in(args + " --size " + std::to_string(width) + "x" +
                              std::to_string(height));
        for (std::string a; in >> a;)
            argv.push_back(a);
        m_app = spawn(argv, options);
        REQUIRE(m_app > 0);
        REQUIRE_MESSAGE(wait_for([](const Probe& p) { return p.frame >= 5; }, 30.0),
                        "the window never drew: " << log());
        focus();
    }

    ~GuiDriver() {
        if (m_app > 0) {
            ::kill(m_app, SIGKILL);
            reap(m_app);
        }
        if (m_xvfb > 0) {
            ::kill(m_xvfb, SIGTERM);
            reap(m_xvfb);
        }
    }
    GuiDriver(const GuiDriver&) = delete;
    GuiDriver& operator=(const GuiDriver&) = delete;

    // The app's HOME (its export folder is HOME/reinforce-lab) and its config folder.
    std::filesystem::path home() const { return m_dir / "home"; }
    std::filesystem::path config() const { return m_dir / "config"; }
    std::filesystem::path export_folder() const { return home() / "reinforce-lab"; }
    std::string log() const { return read_text(m_dir / "app.log"); }

    Probe probe() const { return read_probe(m_probe); }

    // Polls the probe until `ready` holds; false after `seconds` (scaled for slow builds).
    bool wait_for(const std::function<bool(const Probe&)>& ready, double seconds) const {
        const auto deadline = std::chrono::steady_clock::now() + scaled_seconds(seconds);
        while (std::chrono::steady_clock::now() < deadline) {
            if (std::filesystem::exists(m_probe) && ready(probe())) return true;
            if (!running()) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    bool wait_for_item(const std::string& name, double seconds = 10.0) const {
        return wait_for([&](const Probe& p) { return p.items.count(name) == 1; }, seconds);
    }
    bool wait_for_status(const std::string& text, double seconds = 10.0) const {
        return wait_for([&](const Probe& p) { return p.status.find(text) != std::string::npos; },
                        seconds);
    }
    // Until one of the recent messages holds `text`.
    bool wait_for_message(const std::string& text, double seconds = 10.0) const {
        return wait_for(
            [&](const Probe& p) {
                for (const std::string& m : p.messages)
                    if (m.find(text) != std::string::npos) return true;
                return false;
            },
            seconds);
    }
    // True when the window keeps drawing: the frame count goes up by `frames` within the time.
    bool answers(long long frames = 20, double seconds = 10.0) const {
        const long long from = probe().frame;
        return wait_for([&](const Probe& p) { return p.frame >= from + frames; }, seconds);
    }

    bool running() const {
        int status = 0;
        return m_app > 0 && ::waitpid(m_app, &status, WNOHANG) == 0;
    }

    // xdotool's key names: "ctrl+s", "F6", "space", "Page_Down".
    void key(const std::string& keys) { xdotool("key --clearmodifiers " + keys); }
    void type(const std::string& text) { xdotool("type --delay 30 '" + text + "'"); }
    void click_at(int x, int y) {
        xdotool("mousemove " + std::to_string(x) + " " + std::to_string(y));
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        xdotool("click 1");
    }
    // Clicks the middle of a control where the window last drew it: the rectangle is read
    // after a few more frames, so it is where the control is now, not where it was before the
    // panels settled.
    void click(const std::string& item) {
        REQUIRE_MESSAGE(wait_for_item(item), "no control '" << item << "' on screen");
        REQUIRE(answers(3));
        REQUIRE_MESSAGE(wait_for_item(item), "'" << item << "' went away");
        const ProbeBox b = probe().items.at(item);
        click_at(b.cx(), b.cy());
        answers(2);
    }
    // Clicks a text field and waits until it has the keyboard.
    void click_field(const std::string& item) {
        click(item);
        REQUIRE_MESSAGE(wait_for([](const Probe& p) { return p.typing; }, 5.0),
                        "'" << item << "' did not take the keyboard");
    }
    // Ctrl+click, as a person asks a slider for a typed value, then waits for the keyboard.
    void ctrl_click_field(const std::string& item) {
        xdotool("keydown ctrl");
        click(item);
        xdotool("keyup ctrl");
        REQUIRE_MESSAGE(wait_for([](const Probe& p) { return p.typing; }, 5.0),
                        "'" << item << "' did not take the keyboard");
    }
    void screenshot(const std::filesystem::path& png) const {
        const std::string command =
            "DISPLAY=" + m_display + " import -window root '" + png.string() + "' >/dev/null 2>&1";
        CHECK(std::system(command.c_str()) == 0);
    }

    // Ends the app as a logout would (SIGTERM); its exit code, or -1 when it did not end within
    // `seconds`.
    int stop(double seconds = 10.0) {
        ::kill(m_app, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + scaled_seconds(seconds);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(m_app, &status, WNOHANG) == m_app) {
                m_app = -1;
                return exit_code(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return -1;
    }

  private:
    void xdotool(const std::string& args) {
        const std::string command =
            "DISPLAY=" + m_display + " xdotool " + args + " >/dev/null 2>&1";
        CHECK(std::system(command.c_str()) == 0);
        // Give the window a frame or two to take the input.
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
    }

    // A window that has only just drawn can refuse the focus once (seen under ThreadSanitizer,
    // where everything is slow), so the request is repeated for a few seconds before it counts
    // as failed.
    void focus() {
        const std::string command = "DISPLAY=" + m_display +
                                    " xdotool search --sync --name 'REINFORCE Lab' windowfocus "
                                    "--sync >/dev/null 2>&1";
        const auto deadline = std::chrono::steady_clock::now() + scaled_seconds(5.0);
        int status = std::system(command.c_str());
        while (status != 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            status = std::system(command.c_str());
        }
        CHECK_MESSAGE(status == 0, "the window did not take the focus");
    }

    void start_display(int width, int height) {
        // A display number no other server (or test running beside this one) holds.
        for (int n = 90 + static_cast<int>(::getpid() % 400); n < 1000; ++n) {
            const std::string number = std::to_string(n);
            std::string lock = "/tmp/.X";
            lock += number;
            lock += "-lock";
            if (std::filesystem::exists(lock)) continue;
            m_display = ":";
            m_display += number;
            SpawnOptions options;
            options.output = m_dir / "xvfb.log";
            m_xvfb = spawn(
                {"Xvfb", m_display, "-screen", "0",
                 std::to_string(width) + "x" + std::to_string(height) + "x24", "-nolisten", "tcp"},
                options);
            const std::filesystem::path socket =
                std::filesystem::path("/tmp/.X11-unix") / ("X" + number);
            const auto deadline = std::chrono::steady_clock::now() + scaled_seconds(10.0);
            while (std::chrono::steady_clock::now() < deadline) {
                int status = 0;
                if (::waitpid(m_xvfb, &status, WNOHANG) == m_xvfb) break;  // taken: try the next
                if (std::filesystem::exists(socket)) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            if (m_xvfb > 0) ::kill(m_xvfb, SIGKILL);
            reap(m_xvfb);
            m_xvfb = -1;
        }
        FAIL("no display could be started");
    }

    std::filesystem::path m_dir, m_probe;
    std::string m_display;
    pid_t m_xvfb = -1, m_app = -1;
};

}  // namespace rl_test
