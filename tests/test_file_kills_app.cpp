// The real program killed while it saves: a headless run stopped inside the write of each file
// it can be (a file size limit, SIGXFSZ) and by SIGKILL at moments over its writing, and a window
// run killed while it exports and records, or while it saves its session. Every file left is
// whole (byte for byte the uninterrupted run's, or decoding and parsing), no temporary is left,
// and a headless --out folder holds the old set or the whole new one, never a mix.

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/output_set.hpp"
#include "io/session_file.hpp"
#include "support/child_process.hpp"
#include "support/export_checks.hpp"
#include "support/folder_files.hpp"
#include "support/png_check.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::TempDir;

const std::vector<std::string> kHeadlessArgs = {
    "--headless", "--preset", "yes-no-maybe", "--engine", "cpu",     "--threads",
    "2",          "--set",    "steps=200",    "--set",    "runs=64", "--svg"};
const std::string kXvfb = "xvfb-run -a -s '-screen 0 1600x1000x24'";

// The old set the killed runs' new sets replace: the same files from other settings.
const std::vector<std::string> kOldArgs = {
    "--headless", "--preset", "yes-no-maybe", "--engine", "cpu",     "--threads",
    "2",          "--set",    "steps=120",    "--set",    "seed=11", "--svg"};

std::vector<std::string> headless_command(const fs::path& out,
                                          const std::vector<std::string>& args = kHeadlessArgs) {
    std::vector<std::string> argv = {RL_TEST_APP_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--out");
    argv.push_back(out.string());
    return argv;
}

// The uninterrupted run: its files, and the order it wrote them in (from its "wrote" lines).
struct Reference {
    std::map<std::string, std::string> files;
    std::vector<std::string> order;
};

Reference headless_reference(const TempDir& root, const std::string& name = "reference",
                             const std::vector<std::string>& args = kHeadlessArgs) {
    const fs::path out = root.path / name;
    rl_test::SpawnOptions options;
    options.output = root.path / (name + ".txt");
    REQUIRE(rl_test::exit_code(
                rl_test::reap(rl_test::spawn(headless_command(out, args), options))) == 0);
    Reference r;
    r.files = rl_test::files_in(out);
    for (const std::string& line : rl_test::lines_of(rl_test::read_text(options.output)))
        if (line.rfind("wrote ", 0) == 0)
            r.order.push_back(fs::path(line.substr(6)).filename().string());
    REQUIRE(r.order.size() == r.files.size());
    REQUIRE(r.order.size() >= 6);
    return r;
}

// How many of the reference's files `out` holds, checking that they are its first ones, each
// byte for byte as the uninterrupted run wrote it, with nothing else beside them.
std::size_t check_whole_prefix(const Reference& ref, const fs::path& out) {
    if (!fs::exists(out)) return 0;
    const std::map<std::string, std::string> files = rl_test::files_in(out);
    std::size_t n = 0;
    while (n < ref.order.size() && files.count(ref.order[n]) != 0)
        ++n;
    CHECK(files.size() == n);
    for (const auto& [name, text] : files) {
        INFO("file " << name << " (" << text.size() << " bytes)");
        REQUIRE(ref.files.count(name) == 1);
        CHECK(text == ref.files.at(name));
    }
    return n;
}

void pause_a_moment() {
    const timespec ms{0, 1000000};
    ::nanosleep(&ms, nullptr);
}

// Polls until `ready` holds (true) or the child ends first; then `ended` holds its status, and
// `ready` is asked once more, since the child may have made it true just before it ended.
bool wait_for(pid_t pid, const std::function<bool()>& ready, std::optional<int>& ended) {
    for (;;) {
        if (ready()) return true;
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            ended = status;
            return ready();
        }
        pause_a_moment();
    }
}

// Kills `pid` as soon as `ready` holds; true when the kill landed before the child ended.
bool kill_when(pid_t pid, const std::function<bool()>& ready) {
    std::optional<int> ended;
    if (!wait_for(pid, ready, ended) || ended) return false;
    ::kill(pid, SIGKILL);
    return rl_test::killed_by(rl_test::reap(pid), SIGKILL);
}

// The folder the run `pid` stages its files in, beside `out`.
fs::path staging_of(const fs::path& out, pid_t pid) {
    std::string name = ".";
    name += out.filename().string();
    name += ".staging-";
    name += std::to_string(pid);
    return out.parent_path() / name;
}

int staging_folders_in(const fs::path& folder) {
    int n = 0;
    for (const fs::directory_entry& e : fs::directory_iterator(folder))
        n += rl::io::staging_writer(e.path().filename().string()) > 0 ? 1 : 0;
    return n;
}

void put_files(const fs::path& dir, const std::map<std::string, std::string>& files) {
    fs::create_directories(dir);
    for (const auto& [name, text] : files)
        std::ofstream(dir / name, std::ios::binary) << text;
}

using Clock = std::chrono::steady_clock;

// 0 while `path` names nothing (between the two renames of a swap without RENAME_EXCHANGE).
ino_t inode_of(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// How long a run's writing lasts, from its staging folder appearing to its end, in ms.
double writing_phase_ms(const fs::path& out) {
    const pid_t pid = rl_test::spawn(headless_command(out));
    REQUIRE(pid > 0);
    std::optional<int> ended;
    REQUIRE(wait_for(
        pid, [&] { return fs::exists(staging_of(out, pid)); }, ended));
    const Clock::time_point start = Clock::now();
    if (!ended) ended = rl_test::reap(pid);
    REQUIRE(rl_test::exit_code(*ended) == 0);
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool no_temporaries(const fs::path& dir) {
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir))
        if (e.path().filename().string().find(".tmp") != std::string::npos) return false;
    return true;
}

// Every file under `dir` complete by its own format: PNGs decode (window-sized ones at
// `width`x`height`), CSVs have the export header and whole rows, SVGs are well-formed XML.
int check_exports_whole(const fs::path& dir, int width, int height) {
    int checked = 0;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const fs::path p = e.path();
        INFO("file " << p.string());
        CHECK(p.filename().string().find(".tmp") == std::string::npos);
        CHECK(fs::file_size(p) > 0);
        const std::string name = p.filename().string();
        if (p.extension() == ".png") {
            const rl_test::Image image = rl_test::load_png(p.string());
            REQUIRE(image.pixels != nullptr);
            if (name.rfind("frame_", 0) == 0 || name.find("_window_") != std::string::npos) {
                CHECK(image.width == width);
                CHECK(image.height == height);
            }
        } else if (p.extension() == ".csv") {
            const std::string text = rl_test::read_text(p);
            CHECK(text.rfind("series,kind,index,x,y,lo,hi,value,category\n", 0) == 0);
            CHECK(text.back() == '\n');
            for (const std::vector<std::string>& row : rl_test::parse_csv(text))
                CHECK(row.size() == 9);
        } else if (p.extension() == ".svg") {
            CHECK(rl_test::xmllint_accepts(rl_test::read_text(p)) != false);
        } else {
            FAIL("unexpected file");
        }
        ++checked;
    }
    return checked;
}

fs::path exit_file_for(const fs::path& pid_file) {
    fs::path code = pid_file;
    code.replace_extension(".code");
    return code;
}

// The app's own exit code: xvfb-run's can differ when its clean-up fails after the app ended.
int app_exit(const fs::path& pid_file) {
    return rl_test::recorded_exit(exit_file_for(pid_file));
}

// A window run under Xvfb whose app process writes its pid to `pid_file` first, so the test can
// kill the app itself rather than xvfb-run, and its exit code (app_exit) when it ends.
// `limit_blocks` > 0: the app may not write a file longer than that many 512-byte blocks.
pid_t start_window(const std::string& args, const TempDir& root, const fs::path& pid_file,
                   int limit_blocks = 0) {
    const std::string limit =
        limit_blocks > 0 ? "ulimit -f " + std::to_string(limit_blocks) + "; " : std::string();
    fs::remove(exit_file_for(pid_file));
    const std::string script = limit + "'" + RL_TEST_APP_PATH + "' " + args + " & echo $! > '" +
                               pid_file.string() + "'; wait $!; echo $? > '" +
                               exit_file_for(pid_file).string() + "'";
    rl_test::SpawnOptions options;
    options.output = root.path / "window.txt";
    // Mesa's shader cache would be the first file to meet the size limit, not ours.
    options.environment = {"MESA_SHADER_CACHE_DISABLE=true"};
    const pid_t pid = rl_test::spawn({"sh", "-c", kXvfb + " sh -c \"$0\"", script}, options);
    REQUIRE(pid > 0);
    return pid;
}

pid_t app_pid(const fs::path& pid_file) {
    const std::string text = rl_test::read_text(pid_file);
    return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
}

}  // namespace

TEST_CASE("file kills: a headless run stopped inside each file's write leaves only whole files") {
    TempDir root("rl-kill-app");
    const Reference ref = headless_reference(root);
    // A size limit kills the run (SIGXFSZ) inside the write of the first file longer than it:
    // cut each file that can be cut, at its first byte, half way and one byte short.
    std::vector<std::pair<rlim_t, std::string>> limits;  // limit, the file it cuts
    std::size_t longest_before = 0;
    for (const std::string& name : ref.order) {
        const std::size_t size = ref.files.at(name).size();
        if (size > longest_before) {
            limits.push_back({std::max<std::size_t>(longest_before, 1), name});
            if (size / 2 > longest_before) limits.push_back({size / 2, name});
            if (size - 1 > longest_before) limits.push_back({size - 1, name});
        }
        longest_before = std::max(longest_before, size);
    }
    REQUIRE(limits.size() >= 5);
    int run = 0;
    for (const auto& [limit, cut] : limits) {
        INFO("file size limit " << limit << " bytes, inside " << cut);
        const fs::path out = root.path / ("limited-" + std::to_string(run++));
        rl_test::SpawnOptions options;
        options.file_size_limit = limit;
        const pid_t pid = rl_test::spawn(headless_command(out), options);
        REQUIRE(pid > 0);
        CHECK(rl_test::killed_by(rl_test::reap(pid), SIGXFSZ));
        // Nothing appeared under --out; of the staged files, those before the one cut are whole,
        // the one cut and those after are not there. The next run removes the staging folder.
        CHECK_FALSE(fs::exists(out));
        const std::size_t whole = check_whole_prefix(ref, staging_of(out, pid));
        REQUIRE(whole < ref.order.size());
        CHECK(ref.order[whole] == cut);
    }
    MESSAGE(limits.size() << " headless runs killed inside a write");
}

TEST_CASE("file kills: a headless run killed while writing leaves the old set or the whole new") {
    TempDir root("rl-kill-app");
    const Reference old_ref = headless_reference(root, "old", kOldArgs);
    const Reference ref = headless_reference(root);
    REQUIRE(old_ref.files.size() == ref.files.size());
    for (const auto& [name, text] : ref.files) {
        INFO(name);
        REQUIRE(old_ref.files.count(name) == 1);
        CHECK(old_ref.files.at(name) != text);
    }
    // Kill moments: as each file appears in the staging folder, then at even steps over the
    // writing phase (plots drawn, files staged, the swap, the old set removed) and past its end.
    const double phase = writing_phase_ms(root.path / "timed");
    // The timed moments scale with one measured run, and a loaded machine can stretch the
    // others past them; the moment the folder is swapped is caught by its inode, at any speed.
    struct Moment {
        std::string file;  // kill when it is staged; empty: `delay` after the staging folder
        double delay_ms = 0;
        bool at_swap = false;  // kill as soon as `out` is another folder: the old set going
    };
    std::vector<Moment> moments;
    for (const std::string& name : ref.order)
        moments.push_back({name, 0});
    for (int i = 0; i <= 12; ++i)
        moments.push_back({"", phase * i / 10});
    moments.push_back({"", 0, true});
    int landed = 0, old_seen = 0, new_seen = 0, staging_left = 0;
    for (std::size_t m = 0; m < moments.size(); ++m) {
        const Moment& moment = moments[m];
        INFO("killed " << (moment.at_swap ? std::string("as the folders were swapped")
                           : moment.file.empty()
                               ? std::to_string(moment.delay_ms) + " ms into writing"
                               : "as " + moment.file + " was staged"));
        const fs::path out = root.path / ("set-" + std::to_string(m));
        put_files(out, old_ref.files);
        const ino_t old_folder = inode_of(out);
        const pid_t pid = rl_test::spawn(headless_command(out));
        REQUIRE(pid > 0);
        const fs::path staging = staging_of(out, pid);
        std::optional<Clock::time_point> staged;
        const bool killed = kill_when(pid, [&] {
            if (moment.at_swap) {
                const ino_t now = inode_of(out);
                return now != 0 && now != old_folder;
            }
            if (!moment.file.empty()) return fs::exists(staging / moment.file);
            if (!staged && fs::exists(staging)) staged = Clock::now();
            return staged &&
                   std::chrono::duration<double, std::milli>(Clock::now() - *staged).count() >=
                       moment.delay_ms;
        });
        landed += killed ? 1 : 0;
        const std::map<std::string, std::string> files = rl_test::files_in(out);
        const bool is_old = files == old_ref.files, is_new = files == ref.files;
        CHECK_MESSAGE((is_old || is_new), "a mix of " << files.size() << " files");
        old_seen += is_old ? 1 : 0;
        new_seen += is_new ? 1 : 0;
        if (!killed) CHECK(is_new);
        staging_left += fs::exists(staging) ? 1 : 0;
    }
    // Killed as a CSV file is staged, the plots are still to be drawn: the old set stays.
    CHECK(old_seen >= 2);
    // Killed at the swap, or ended first: the new set either way.
    CHECK(new_seen >= 1);
    // Each run removed what the killed one before it left beside the folders; one more run
    // removes the last one's.
    const fs::path again = root.path / "set-0";
    REQUIRE(rl_test::exit_code(rl_test::reap(rl_test::spawn(headless_command(again)))) == 0);
    CHECK(rl_test::files_in(again) == ref.files);
    CHECK(staging_folders_in(root.path) == 0);
    MESSAGE(moments.size() << " kill moments over a " << phase << " ms writing phase, " << landed
                           << " before the run ended: " << old_seen << " old sets, " << new_seen
                           << " new, " << staging_left << " staging folders left for the next run");
}

TEST_CASE("file kills: a window killed while exporting and recording leaves only whole files") {
    TempDir root("rl-kill-gui");
    const int width = 800, height = 600;
    const std::string size = "--size " + std::to_string(width) + "x" + std::to_string(height);
    int files_checked = 0;
    int landed = 0;
    // SIGKILL when the first and the fifth recorded frame appear, and when the exports of the
    // last frames start (the window's PNG is among them).
    const std::vector<std::string> moments = {"frame_000001.png", "frame_000005.png", "window"};
    for (std::size_t m = 0; m < moments.size(); ++m) {
        INFO("killed when " << moments[m] << " appeared");
        const fs::path exports = root.path / ("exports-" + std::to_string(m));
        const fs::path pid_file = root.path / ("app-" + std::to_string(m) + ".pid");
        const pid_t runner = start_window("--preset yes-no-maybe --engine cpu --frames 40 " + size +
                                              " --record 2 --export '" + exports.string() + "'",
                                          root, pid_file);
        std::optional<int> ended;
        const bool appeared = wait_for(
            runner,
            [&] {
                std::error_code ec;
                for (fs::recursive_directory_iterator it(exports, ec), end; !ec && it != end;
                     it.increment(ec))
                    if (it->path().filename().string().find(moments[m]) != std::string::npos)
                        return true;
                return false;
            },
            ended);
        REQUIRE(appeared);
        if (!ended) {
            const pid_t app = app_pid(pid_file);
            REQUIRE(app > 0);
            ::kill(app, SIGKILL);
            ended = rl_test::reap(runner);
        }
        // A run that ended first is still checked.
        landed += app_exit(pid_file) == 128 + SIGKILL;
        files_checked += check_exports_whole(exports, width, height);
        CHECK(no_temporaries(exports));
    }

    // Inside a write: the app may not write a file longer than 64 blocks (32 KiB), less than a
    // recorded frame, so it dies (SIGXFSZ) in the middle of writing the first one.
    const fs::path exports = root.path / "exports-limited";
    const fs::path pid_file = root.path / "app-limited.pid";
    const pid_t runner = start_window("--preset yes-no-maybe --engine cpu --frames 12 " + size +
                                          " --record 2 --export '" + exports.string() + "'",
                                      root, pid_file, 64);
    rl_test::reap(runner);
    CHECK(app_exit(pid_file) == 128 + SIGXFSZ);
    INFO(rl_test::read_text(root.path / "window.txt"));
    CHECK(rl_test::read_text(root.path / "window.txt").find("frames 12") == std::string::npos);
    REQUIRE(fs::exists(exports));
    files_checked += check_exports_whole(exports, width, height);
    CHECK(no_temporaries(exports));
    CHECK(landed >= 1);
    MESSAGE(moments.size() << " SIGKILL moments (" << landed
                           << " before the run ended) and 1 run stopped inside a write, "
                           << files_checked << " exported files checked whole");
}

TEST_CASE("file kills: a window killed while saving its session keeps the old session file") {
    TempDir root("rl-kill-session");
    const fs::path saved = root.path / "session.json";
    const fs::path pid_file = root.path / "app.pid";
    rl_test::reap(
        start_window("--preset yes-no-maybe --engine cpu --frames 4 --size 800x600 "
                     "--save-session '" +
                         saved.string() + "'",
                     root, pid_file));
    REQUIRE(fs::exists(saved));
    const std::string old_text = rl_test::read_text(saved);
    // The second save is longer (a lesson preset with its steps) than the 2-block limit.
    rl_test::reap(
        start_window("--preset binary-verifier --engine cpu --frames 4 --size 800x600 "
                     "--save-session '" +
                         saved.string() + "'",
                     root, pid_file, 2));
    CHECK(app_exit(pid_file) == 128 + SIGXFSZ);
    const std::string log = rl_test::read_text(root.path / "window.txt");
    INFO(log);
    CHECK(log.find("saved session") == std::string::npos);
    CHECK(rl_test::read_text(saved) == old_text);
    const rl::io::SessionFileResult loaded = rl::io::read_session_file(saved);
    CHECK_MESSAGE(static_cast<bool>(loaded), loaded.error);
    CHECK(rl_test::files_in(root.path).count("session.json") == 1);
    CHECK(no_temporaries(root.path));
}
