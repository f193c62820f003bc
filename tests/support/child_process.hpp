#pragma once

// Starting a program as a child process the test can stop, inspect (/proc/PID) and kill, with a
// file size limit or as the unprivileged user "nobody" when asked.

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rl_test {

constexpr uid_t kNobody = 65534;

struct SpawnOptions {
    std::filesystem::path output;           // stdout and stderr; empty: /dev/null
    std::optional<rlim_t> file_size_limit;  // RLIMIT_FSIZE: a longer write gets SIGXFSZ
    bool as_nobody = false;                 // uid and gid 65534, no groups
    std::vector<std::string> environment;   // NAME=VALUE added to (or replacing in) the test's
};

// Starts `argv` (argv[0] looked up in PATH) and returns its pid; -1 when fork failed. A child that
// cannot start exits with 127, one that cannot drop its privileges with 126.
inline pid_t spawn(const std::vector<std::string>& argv, const SpawnOptions& options = {}) {
    // Everything the child needs is built before fork: only async-signal-safe calls after it.
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    // A NAME=VALUE in options.environment replaces the test's own NAME, since getenv would
    // otherwise find the inherited one first.
    const auto overridden = [&](std::string_view entry) {
        for (const std::string& e : options.environment) {
            const std::size_t eq = e.find('=');
            if (entry.substr(0, entry.find('=')) == std::string_view(e).substr(0, eq)) return true;
        }
        return false;
    };
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e)
        if (!overridden(*e)) env_text.emplace_back(*e);
    for (const std::string& e : options.environment)
        env_text.push_back(e);
    std::vector<char*> env;
    for (const std::string& e : env_text)
        env.push_back(const_cast<char*>(e.c_str()));
    env.push_back(nullptr);
    const std::string output = options.output.empty() ? "/dev/null" : options.output.string();

    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) ::_exit(127);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);  // a killed child leaves no core file behind
    if (options.file_size_limit) {
        const rlimit limit{*options.file_size_limit, *options.file_size_limit};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    if (options.as_nobody &&
        (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0))
        ::_exit(126);
    ::execvpe(args[0], args.data(), env.data());
    ::_exit(127);
}

// Waits for `pid` to end; its raw wait status.
inline int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

inline bool killed_by(int status, int signal) {
    return WIFSIGNALED(status) && WTERMSIG(status) == signal;
}

inline int exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Whether a child running as nobody can run the program at `program` and work in the folders
// the test makes: false (with the reason) where this machine cannot drop privileges.
inline bool nobody_can_run(const std::filesystem::path& program, std::string& reason) {
    if (::geteuid() != 0) {
        reason = "not running as root, so the read-only test folders would not stop the writer";
        return false;
    }
    SpawnOptions options;
    options.as_nobody = true;
    const pid_t pid = spawn({program.string(), "--version"}, options);
    const int status = reap(pid);
    if (exit_code(status) == 126) {
        reason = "cannot switch to uid 65534 here";
        return false;
    }
    if (exit_code(status) != 0) {
        reason = program.string() + " cannot be run by uid 65534 (exit " +
                 std::to_string(exit_code(status)) + ")";
        return false;
    }
    return true;
}

}  // namespace rl_test
