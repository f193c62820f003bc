// Read-only and missing folders, for a user the folder does not let in: the writer runs as
// "nobody" (uid 65534), since permissions do not stop root. Exports and session saves there give a
// message naming the path and the reason, leave nothing behind, and the window runs on and keeps
// its session; a missing folder is made when it can be.

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/session_file.hpp"
#include "support/child_process.hpp"
#include "support/folder_files.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::TempDir;

const std::string kXvfb = "xvfb-run -a -s '-screen 0 1600x1000x24'";

// A folder nobody may enter (`root`), one it may read but not write (`locked`), and one it may
// write (`open`).
struct Folders {
    TempDir root{"rl-folders"};
    fs::path locked = root.path / "locked";
    fs::path open = root.path / "open";
    Folders() {
        fs::create_directory(locked);
        fs::create_directory(open);
        ::chmod(root.path.c_str(), 0755);
        ::chmod(locked.c_str(), 0555);
        ::chmod(open.c_str(), 0777);
    }
    ~Folders() { ::chmod(locked.c_str(), 0755); }
    Folders(const Folders&) = delete;
    Folders& operator=(const Folders&) = delete;
};

struct Run {
    int code = -1;
    std::string output;  // stdout and stderr together
};

Run run_as_nobody(const std::vector<std::string>& argv, const Folders& f,
                  const std::vector<std::string>& environment = {}) {
    rl_test::SpawnOptions options;
    options.output = f.root.path / "output.txt";
    options.as_nobody = true;
    options.environment = environment;
    options.environment.push_back("HOME=" + f.open.string());
    const pid_t pid = rl_test::spawn(argv, options);
    REQUIRE(pid > 0);
    Run r;
    r.code = rl_test::exit_code(rl_test::reap(pid));
    r.output = rl_test::read_text(options.output);
    return r;
}

// The app's own exit code (record_exit.sh), not xvfb-run's, whose clean-up can fail after the
// app has ended well.
Run window_as_nobody(const std::string& args, const Folders& f) {
    const fs::path code = f.open / "exit-code.txt";
    Run r = run_as_nobody({"sh", "-c",
                           kXvfb + " sh '" + RL_TEST_SUPPORT_DIR + "/record_exit.sh' '" +
                               code.string() + "' '" + RL_TEST_APP_PATH + "' " + args},
                          f);
    r.code = rl_test::recorded_exit(code);
    return r;
}

// False, with a SKIPPED line, where this machine cannot run the app as another user.
bool can_drop_privileges() {
    std::string reason;
    if (rl_test::nobody_can_run(RL_TEST_APP_PATH, reason)) return true;
    MESSAGE("SKIPPED: " << reason);
    return false;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("file folders: headless --out makes a missing folder and refuses a read-only one") {
    if (!can_drop_privileges()) return;
    Folders f;
    const std::vector<std::string> run = {
        RL_TEST_APP_PATH, "--headless", "--preset", "yes-no-maybe", "--engine", "cpu",
        "--set",          "steps=20",   "--svg",    "--out"};

    std::vector<std::string> argv = run;
    argv.push_back(f.locked.string());
    Run r = run_as_nobody(argv, f);
    INFO(r.output);
    // Refused before the run, not after it: a class does not wait to learn this.
    CHECK(r.code == 2);
    CHECK(r.output.find("--out " + f.locked.string() + ": cannot write there: Permission denied") !=
          std::string::npos);
    CHECK(r.output.find("training") == std::string::npos);
    CHECK(rl_test::files_in(f.locked).empty());

    argv = run;
    argv.push_back((f.locked / "sub").string());
    r = run_as_nobody(argv, f);
    INFO(r.output);
    CHECK(r.code == 2);
    CHECK(r.output.find("--out " + (f.locked / "sub").string() +
                        ": cannot create: Permission denied") != std::string::npos);
    CHECK(rl_test::files_in(f.locked).empty());

    argv = run;
    const fs::path made = f.open / "a" / "b";
    argv.push_back(made.string());
    r = run_as_nobody(argv, f);
    INFO(r.output);
    CHECK(r.code == 0);
    const auto files = rl_test::files_in(made);
    CHECK(files.size() == 2 + 5);
    CHECK(files.at("summary.csv").rfind("step,J_mean,", 0) == 0);
    CHECK(files.at("snr.csv").rfind("K,baseline,", 0) == 0);
}

TEST_CASE(
    "file folders: exports into a read-only folder fail with messages and the window goes on") {
    if (!can_drop_privileges()) return;
    Folders f;
    const fs::path saved = f.open / "session.json";
    const Run r = window_as_nobody(
        "--preset yes-no-maybe --engine cpu --frames 8 --size 1280x800 "
        "--record 2 --export '" +
            f.locked.string() + "' --save-session '" + saved.string() + "'",
        f);
    INFO(r.output);
    CHECK(r.code == 1);
    // Every file asked for has its own message with the path and the reason: the window's PNG
    // and the plots' PNG, SVG and CSV files (at this size all four plots and the bars are drawn).
    CHECK(count_of(r.output, "Export failed: " + f.locked.string() + "/yes-no-maybe_") >= 13);
    CHECK(count_of(r.output, ": cannot create: Permission denied") >= 13);
    // The recording's folder could not be made either; that is said once.
    CHECK(count_of(r.output, "Export failed: cannot use the folder " + f.locked.string()) == 1);
    // The window ran all its frames and kept its session.
    CHECK(r.output.find("frames 8:") != std::string::npos);
    CHECK(r.output.find("saved session " + saved.string()) != std::string::npos);
    const rl::io::SessionFileResult loaded = rl::io::read_session_file(saved);
    REQUIRE_MESSAGE(static_cast<bool>(loaded), loaded.error);
    CHECK(loaded.document->step > 0);
    CHECK(rl_test::files_in(f.locked).empty());
}

TEST_CASE("file folders: a session saved where it cannot be written gives a message and no file") {
    if (!can_drop_privileges()) return;
    Folders f;
    Run r = window_as_nobody(
        "--preset yes-no-maybe --engine cpu --frames 4 --size 800x600 "
        "--save-session '" +
            (f.locked / "s.json").string() + "'",
        f);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(r.output.find("reinforce-lab: --save-session: " + (f.locked / "s.json").string() +
                        ": cannot create: Permission denied") != std::string::npos);
    CHECK(r.output.find("frames 4:") != std::string::npos);

    r = window_as_nobody(
        "--preset yes-no-maybe --engine cpu --frames 4 --size 800x600 "
        "--save-session '" +
            (f.locked / "new" / "s.json").string() + "'",
        f);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(r.output.find("reinforce-lab: --save-session: " + (f.locked / "new").string() +
                        ": cannot create the folder: Permission denied") != std::string::npos);
    CHECK(rl_test::files_in(f.locked).empty());
}

TEST_CASE("file folders: a session kept at exit in a read-only config folder gives a message") {
    if (!can_drop_privileges()) return;
    Folders f;
    const fs::path pid_file = f.open / "app.pid", code_file = f.open / "exit-code.txt";
    // Interactive (no --frames), closed by SIGTERM as at a logout, with its config folder
    // read-only; the pid file lets the test signal the app rather than xvfb-run, and the code
    // file holds the app's own exit code.
    rl_test::SpawnOptions options;
    options.output = f.root.path / "output.txt";
    options.as_nobody = true;
    options.environment = {"HOME=" + f.open.string(), "XDG_CONFIG_HOME=" + f.locked.string()};
    const pid_t runner = rl_test::spawn(
        {"sh", "-c",
         kXvfb +
             " sh -c '\"$1\" --preset sigmoid-bandit --engine cpu --size 800x600 & "
             "echo $! > \"$0\"; wait $!; echo $? > \"$2\"' '" +
             pid_file.string() + "' '" + RL_TEST_APP_PATH + "' '" + code_file.string() + "'"},
        options);
    REQUIRE(runner > 0);
    // The app handles SIGTERM once its window loop runs: wait for its handler (SigCgt in /proc).
    pid_t app = 0;
    for (;;) {
        if (app == 0) {
            const std::string text = rl_test::read_text(pid_file);
            if (!text.empty()) app = static_cast<pid_t>(std::stol(text));
        }
        if (app != 0) {
            std::string caught;
            for (const std::string& line :
                 rl_test::lines_of(rl_test::read_text("/proc/" + std::to_string(app) + "/status")))
                if (line.rfind("SigCgt:", 0) == 0) caught = line.substr(7);
            if (!caught.empty() && (std::stoull(caught, nullptr, 16) >> (SIGTERM - 1) & 1) != 0)
                break;
        }
        int status = 0;
        REQUIRE(::waitpid(runner, &status, WNOHANG) == 0);
        const timespec ms{0, 1000000};
        ::nanosleep(&ms, nullptr);
    }
    ::kill(app, SIGTERM);
    rl_test::reap(runner);
    const int code = rl_test::recorded_exit(code_file);
    const std::string output = rl_test::read_text(options.output);
    INFO(output);
    CHECK(code == 0);
    CHECK(output.find(
              "could not keep the session for next time: " + (f.locked / "reinforce-lab").string() +
              ": cannot create the folder: Permission denied") != std::string::npos);
    CHECK(rl_test::files_in(f.locked).empty());
}
