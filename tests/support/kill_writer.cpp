// rl-kill-writer: writes one file through the real atomic writers so a test can kill it part way.
//   rl-kill-writer replace|new unnamed|named PATH BYTES [--stop-at N] [--trace]
// --stop-at N: the file may not grow past N bytes; the write that tries stops the process (SIGSTOP)
// inside write_all, for the test to inspect and kill. --trace: waits for a tracer before writing,
// so the test can stop it at each system call the writer makes.

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/atomic_file.hpp"
#include "support/writer_contents.hpp"

namespace {

extern "C" void stop_here(int) {
    raise(SIGSTOP);
}

int usage() {
    std::fputs(
        "usage: rl-kill-writer replace|new unnamed|named PATH BYTES [--stop-at N] [--trace]\n",
        stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) return usage();
    const std::string mode = argv[1], staging_name = argv[2], path = argv[3];
    const std::size_t bytes = std::strtoull(argv[4], nullptr, 10);
    if ((mode != "replace" && mode != "new") ||
        (staging_name != "unnamed" && staging_name != "named"))
        return usage();
    long long stop_at = -1;
    bool trace = false;
    for (int i = 5; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--stop-at" && i + 1 < argc) {
            stop_at = std::atoll(argv[++i]);
        } else if (arg == "--trace") {
            trace = true;
        } else {
            return usage();
        }
    }
    const rl::io::Staging staging =
        staging_name == "named" ? rl::io::Staging::kNamedTemporary : rl::io::Staging::kUnnamedFirst;
    const std::string contents = rl_test::writer_contents(bytes);
    if (stop_at >= 0) {
        // The kernel writes up to the limit, then refuses the next write with SIGXFSZ.
        struct sigaction action {};
        action.sa_handler = stop_here;
        sigaction(SIGXFSZ, &action, nullptr);
        const rlimit limit{static_cast<rlim_t>(stop_at), static_cast<rlim_t>(stop_at)};
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    if (trace) {
        if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) return 3;
        raise(SIGSTOP);
    }
    std::string error;
    std::string written = path;
    if (mode == "replace") {
        error = rl::io::write_file_atomically(path, contents, staging);
    } else {
        const rl::io::NewFileResult r = rl::io::write_new_file(path, contents, staging);
        error = r.error;
        written = r.path.string();
    }
    if (!error.empty()) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::printf("wrote %s\n", written.c_str());
    return 0;
}
