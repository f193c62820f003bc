#pragma once

// Runs the real reinforce-lab program as a process and captures its exit code and output.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace rl_test {

struct AppRun {
    int status = -1;
    std::string out, err;
};

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// The app's own exit code, written by tests/support/record_exit.sh into `file`; -1 when it wrote
// none (the app never ran, or was killed).
inline int recorded_exit(const std::filesystem::path& file) {
    const std::string text = read_text(file);
    return text.empty() ? -1 : std::stoi(text);
}

// `prefix` goes before the program (an environment change, xvfb-run). Single quotes keep the
// shell from touching the arguments (none of them contains one). The status is the app's own,
// not that of what the prefix runs it in.
inline AppRun run_app(const std::string& args, const TempDir& dir, const std::string& prefix = "") {
    const std::filesystem::path out = dir.path / "stdout.txt", err = dir.path / "stderr.txt";
    const std::filesystem::path code = dir.path / "exit-code.txt";
    std::filesystem::remove(code);
    const std::string command = prefix + " sh '" + RL_TEST_SUPPORT_DIR + "/record_exit.sh' '" +
                                code.string() + "' '" + RL_TEST_APP_PATH + "' " + args + " >'" +
                                out.string() + "' 2>'" + err.string() + "'";
    std::system(command.c_str());
    AppRun r;
    r.status = recorded_exit(code);
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

// No display at all, whatever the test runner's environment has.
inline const std::string kNoDisplay = "env -u DISPLAY -u WAYLAND_DISPLAY";

}  // namespace rl_test
