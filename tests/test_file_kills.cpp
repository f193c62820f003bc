// A writer killed part way never leaves a partial file: rl-kill-writer writes through the real
// write_file_atomically / write_new_file and is killed at each system call it makes (ptrace) and
// in the middle of its write (a file size limit stops it there, the test checks /proc and kills
// it). Afterwards the target holds the old contents or the whole new ones, and nothing else is
// left in the folder.

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "support/child_process.hpp"
#include "support/folder_files.hpp"
#include "support/temp_dir.hpp"
#include "support/writer_contents.hpp"

namespace {

namespace fs = std::filesystem;
using rl_test::TempDir;

constexpr std::size_t kBytes = 1 << 20;
const std::string kOld = "the old contents\n";

using rl_test::files_in;

std::string contents(const fs::path& file) {
    return rl_test::read_text(file);
}

std::string syscall_name(long nr) {
    static const std::map<long, std::string> names = [] {
        std::map<long, std::string> m = {{SYS_openat, "openat"},
                                         {SYS_write, "write"},
                                         {SYS_fsync, "fsync"},
                                         {SYS_linkat, "linkat"},
                                         {SYS_renameat2, "renameat2"},
                                         {SYS_close, "close"},
                                         {SYS_getpid, "getpid"},
                                         {SYS_kill, "kill"},
                                         {SYS_getdents64, "getdents64"},
                                         {SYS_fstat, "fstat"},
                                         {SYS_exit_group, "exit_group"},
                                         {SYS_brk, "brk"},
                                         {SYS_mmap, "mmap"},
                                         {SYS_munmap, "munmap"},
                                         {SYS_unlinkat, "unlinkat"},
                                         {SYS_fcntl, "fcntl"}};
        // The older calls exist only on some architectures (x86-64, not arm64).
#ifdef SYS_rename
        m[SYS_rename] = "rename";
        m[SYS_unlink] = "unlink";
        m[SYS_link] = "link";
        m[SYS_access] = "access";
        m[SYS_newfstatat] = "newfstatat";
#endif
        return m;
    }();
    const auto it = names.find(nr);
    return it != names.end() ? it->second : "syscall " + std::to_string(nr);
}

struct Case {
    std::string mode;     // "replace" or "new"
    std::string staging;  // "unnamed" or "named"
    bool old_file;        // the target exists before the write
};

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (const char* mode : {"replace", "new"})
        for (const char* staging : {"unnamed", "named"})
            for (const bool old_file : {false, true})
                cases.push_back({mode, staging, old_file});
    return cases;
}

std::string describe(const Case& c) {
    return c.mode + " " + c.staging + (c.old_file ? " over an old file" : " into an empty folder");
}

// Where the whole new file must appear: the target, or beside an old file write_new_file keeps.
std::string new_name(const Case& c) {
    return c.mode == "new" && c.old_file ? "out-2.txt" : "out.txt";
}

pid_t start_writer(const Case& c, const fs::path& folder, const fs::path& log,
                   const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {RL_TEST_WRITER_PATH, c.mode, c.staging,
                                     (folder / "out.txt").string(), std::to_string(kBytes)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    rl_test::SpawnOptions options;
    options.output = log;
    if (std::find(extra.begin(), extra.end(), "--trace") != extra.end()) {
        // LeakSanitizer stops the world with ptrace itself and fails under a tracer; the traced
        // writer's leaks are checked by the untraced kill tests, which run the same code.
        const char* asan = std::getenv("ASAN_OPTIONS");
        options.environment.push_back(std::string("ASAN_OPTIONS=") + (asan ? asan : "") +
                                      ":detect_leaks=0");
    }
    const pid_t pid = rl_test::spawn(argv, options);
    REQUIRE(pid > 0);
    return pid;
}

struct Traced {
    std::vector<long> syscalls;  // entered, in order; the last one is where it was killed
    bool killed = false;
    int status = 0;
};

// Follows the traced writer from its self-stop, and kills it on entering its `kill_at`-th system
// call (0-based; -1 lets it run to its end).
Traced trace_writer(pid_t pid, int kill_at) {
    Traced t;
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status)) {
        t.status = status;  // exit 3: PTRACE_TRACEME refused
        return t;
    }
    REQUIRE(WIFSTOPPED(status));
    REQUIRE(WSTOPSIG(status) == SIGSTOP);
    REQUIRE(::ptrace(PTRACE_SETOPTIONS, pid, nullptr,
                     reinterpret_cast<void*>(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) == 0);
    long deliver = 0;
    for (;;) {
        REQUIRE(::ptrace(PTRACE_SYSCALL, pid, nullptr, reinterpret_cast<void*>(deliver)) == 0);
        deliver = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            t.status = status;
            return t;
        }
        if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
            deliver = WSTOPSIG(status);
            continue;
        }
        __ptrace_syscall_info info{};
        REQUIRE(::ptrace(PTRACE_GET_SYSCALL_INFO, pid, reinterpret_cast<void*>(sizeof info),
                         &info) > 0);
        if (info.op != PTRACE_SYSCALL_INFO_ENTRY) continue;
        t.syscalls.push_back(static_cast<long>(info.entry.nr));
        if (static_cast<int>(t.syscalls.size()) - 1 == kill_at) {
            ::kill(pid, SIGKILL);
            t.status = rl_test::reap(pid);
            t.killed = true;
            return t;
        }
    }
}

// The folder after a kill holds the old file (if any) and at most the whole new file, besides
// temporaries under our own names (counted in `temporaries`). Returns whether the new file is
// there.
bool check_folder_after_kill(const Case& c, const fs::path& folder, int& temporaries) {
    const std::string whole = rl_test::writer_contents(kBytes);
    bool published = false;
    for (const auto& [name, text] : files_in(folder)) {
        INFO("file " << name << " (" << text.size() << " bytes)");
        if (rl::io::temporary_writer(name) > 0) {
            ++temporaries;
            // A named temporary may be cut short; an unnamed file is named only when whole.
            if (c.staging == "unnamed") CHECK(text == whole);
            CHECK(whole.compare(0, text.size(), text) == 0);
            continue;
        }
        if (name == "out.txt" && c.old_file && !(c.mode == "replace" && text == whole)) {
            CHECK(text == kOld);
            continue;
        }
        CHECK(name == new_name(c));
        CHECK(text == whole);
        published = true;
    }
    if (c.old_file) CHECK(fs::exists(folder / "out.txt"));
    return published;
}

// The next write in the folder (by another process, as after a restart) removes what a killed
// writer left and finds the folder usable.
void check_next_write_cleans(const fs::path& folder) {
    const rl::io::NewFileResult next = rl::io::write_new_file(folder / "next.txt", "next\n");
    REQUIRE_MESSAGE(next.error.empty(), next.error);
    for (const auto& [name, text] : files_in(folder))
        CHECK_MESSAGE(rl::io::temporary_writer(name) == 0, name << " left after the next write");
}

// The file the stopped writer `pid` is writing: its open descriptor in `folder`, as /proc shows it.
struct OpenTarget {
    std::string link;  // "/folder/#123 (deleted)" for an unnamed file, else the temporary's path
    long long size = -1;
};

std::vector<OpenTarget> open_files_in(pid_t pid, const fs::path& folder) {
    std::vector<OpenTarget> found;
    const fs::path fds = "/proc/" + std::to_string(pid) + "/fd";
    for (const fs::directory_entry& e : fs::directory_iterator(fds)) {
        std::error_code ec;
        const fs::path link = fs::read_symlink(e.path(), ec);
        if (ec || link.string().rfind(folder.string() + "/", 0) != 0) continue;
        struct stat st {};
        if (::stat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        found.push_back({link.string(), static_cast<long long>(st.st_size)});
    }
    return found;
}

}  // namespace

TEST_CASE("file kills: a writer killed at each of its system calls leaves no partial file") {
    int kill_points = 0;
    for (const Case& c : all_cases()) {
        INFO(describe(c));
        // A run to the end counts the system calls the writer makes.
        Traced full;
        {
            TempDir root("rl-kill");
            const fs::path folder = root.path / "folder";
            fs::create_directory(folder);
            if (c.old_file) std::ofstream(folder / "out.txt") << kOld;
            full = trace_writer(start_writer(c, folder, root.path / "log.txt", {"--trace"}), -1);
            if (rl_test::exit_code(full.status) == 3) {
                MESSAGE("SKIPPED: this machine does not allow ptrace (seccomp or Yama)");
                return;
            }
            REQUIRE(rl_test::exit_code(full.status) == 0);
            CHECK(contents(folder / new_name(c)) == rl_test::writer_contents(kBytes));
        }
        REQUIRE(full.syscalls.size() >= 4);
        std::string sequence;
        for (const long nr : full.syscalls)
            sequence += syscall_name(nr) + " ";
        MESSAGE(describe(c) << ": " << full.syscalls.size() << " system calls: " << sequence);

        bool seen_new = false;
        int with_temporary = 0;
        for (int k = 0; k < static_cast<int>(full.syscalls.size()); ++k) {
            INFO("killed on entering system call " << k << " (" << syscall_name(full.syscalls[k])
                                                   << ")");
            TempDir root("rl-kill");
            const fs::path folder = root.path / "folder";
            fs::create_directory(folder);
            if (c.old_file) std::ofstream(folder / "out.txt") << kOld;
            const Traced t =
                trace_writer(start_writer(c, folder, root.path / "log.txt", {"--trace"}), k);
            REQUIRE(t.killed);
            CHECK(rl_test::killed_by(t.status, SIGKILL));
            ++kill_points;
            int temporaries = 0;
            const bool published = check_folder_after_kill(c, folder, temporaries);
            // Once the whole file has its name, a later kill cannot take it away.
            if (seen_new) CHECK(published);
            seen_new = seen_new || published;
            if (temporaries > 0) ++with_temporary;
            check_next_write_cleans(folder);
        }
        CHECK(seen_new);
        // An unnamed file has a temporary name only between linkat and rename, when it replaces
        // an existing file; the file is complete then. Named staging has one from its open on.
        if (c.staging == "unnamed") CHECK(with_temporary == (c.mode == "replace" && c.old_file));
        if (c.staging == "named") CHECK(with_temporary >= 3);
    }
    MESSAGE(kill_points << " kill points at system calls");
}

TEST_CASE("file kills: a writer killed in the middle of its write leaves no partial file") {
    int kill_points = 0;
    for (const Case& c : all_cases()) {
        for (const std::size_t stop_at :
             {std::size_t{1}, std::size_t{4096}, std::size_t{65537}, kBytes / 2, kBytes - 1}) {
            INFO(describe(c) << ", stopped after " << stop_at << " of " << kBytes << " bytes");
            TempDir root("rl-kill");
            const fs::path folder = root.path / "folder";
            fs::create_directory(folder);
            if (c.old_file) std::ofstream(folder / "out.txt") << kOld;
            const pid_t pid = start_writer(c, folder, root.path / "log.txt",
                                           {"--stop-at", std::to_string(stop_at)});
            int status = 0;
            REQUIRE(::waitpid(pid, &status, WUNTRACED) == pid);
            REQUIRE(WIFSTOPPED(status));
            // Demonstrably inside the write: its file in the folder is open and part written.
            const std::vector<OpenTarget> open = open_files_in(pid, folder);
            REQUIRE(open.size() == 1);
            INFO("open file " << open[0].link);
            CHECK(open[0].size == static_cast<long long>(stop_at));
            if (c.staging == "unnamed") {
                CHECK(open[0].link.rfind(folder.string() + "/#", 0) == 0);
                CHECK(open[0].link.find("(deleted)") != std::string::npos);
            } else {
                CHECK(rl::io::temporary_writer(fs::path(open[0].link).filename().string()) == pid);
            }
            ::kill(pid, SIGKILL);
            CHECK(rl_test::killed_by(rl_test::reap(pid), SIGKILL));
            ++kill_points;

            int temporaries = 0;
            CHECK_FALSE(check_folder_after_kill(c, folder, temporaries));
            // Only a named temporary can outlive its writer; the next write removes it.
            CHECK(temporaries == (c.staging == "named" ? 1 : 0));
            check_next_write_cleans(folder);
        }
    }
    MESSAGE(kill_points << " kill points inside the write");
}

TEST_CASE("file kills: only temporaries of writers that are gone are removed") {
    TempDir root("rl-stale");
    const fs::path folder = root.path / "folder";
    fs::create_directory(folder);
    const pid_t gone = rl_test::spawn({"true"});
    REQUIRE(gone > 0);
    rl_test::reap(gone);
    const std::string stale = ".plot.png.tmp-" + std::to_string(gone) + "-0";
    const std::string live = ".plot.png.tmp-" + std::to_string(::getppid()) + "-0";
    for (const std::string& name :
         {stale, live, std::string("notes.tmp-5"), std::string(".x.tmp-12-a")})
        std::ofstream(folder / name) << "partial";
    CHECK(rl::io::temporary_writer(stale) == gone);
    CHECK(rl::io::temporary_writer("notes.tmp-5") == 0);
    CHECK(rl::io::temporary_writer(".x.tmp-12-a") == 0);

    CHECK(rl::io::write_file_atomically(folder / "session.json", "{}\n").empty());
    std::set<std::string> names;
    for (const auto& [name, text] : files_in(folder))
        names.insert(name);
    CHECK(names == std::set<std::string>{live, "notes.tmp-5", ".x.tmp-12-a", "session.json"});
}
