#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <system_error>

namespace rl::io {

namespace {

// Enough for a folder of screenshots taken in the same second; beyond that something is wrong.
constexpr int kMaxNameAttempts = 10000;
constexpr int kMaxTemporaryAttempts = 100;
constexpr mode_t kNewFileMode = 0666;
constexpr mode_t kReplacedFileMode = 0644;
// As the kernel's own limit on links followed in one lookup.
constexpr int kMaxLinks = 40;

std::string failure(const std::filesystem::path& path, std::string_view what, int error) {
    return path.string() + ": " + std::string(what) + ": " + std::strerror(error);
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
    return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

// The pid keeps processes apart, the counter threads; the leading dot keeps it out of listings.
std::filesystem::path temporary_name(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
    std::string name = ".";
    name += target.filename().string();
    name += ".tmp-";
    name += std::to_string(::getpid());
    name += '-';
    name += std::to_string(counter.fetch_add(1));
    return target.parent_path() / name;
}

// A named temporary outlives a writer killed before it was renamed (only on file systems without
// O_TMPFILE, or in the instant between naming a complete file and renaming it). Its writer is
// dead when no process has its pid; such files are removed once per folder and process, so a
// folder of recorded frames is not listed again for every frame.
void remove_stale_temporaries(const std::filesystem::path& folder) {
    static std::mutex mutex;
    static std::set<std::string> cleaned;
    {
        const std::lock_guard lock(mutex);
        if (!cleaned.insert(folder.string()).second) return;
    }
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
         it.increment(ec)) {
        const int writer = temporary_writer(it->path().filename().string());
        if (writer <= 0 || writer == ::getpid()) continue;
        // EPERM: a live process of another user; only ESRCH says nobody has that pid.
        if (::kill(writer, 0) == 0 || errno != ESRCH) continue;
        ::unlink(it->path().c_str());
    }
}

bool lacks_unnamed_files(int error) {
    return error == EOPNOTSUPP || error == EISDIR || error == EINVAL;
}

// Gives the open unnamed file `fd` the name `to` unless `to` exists; 0 or the errno (EEXIST:
// taken). The /proc path needs no privilege, unlike AT_EMPTY_PATH, which is kept for systems
// without /proc.
int link_unnamed(int fd, const std::filesystem::path& to) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, to.c_str(), AT_SYMLINK_FOLLOW) == 0) return 0;
    const int error = errno;
    if (error != ENOENT || ::access("/proc/self/fd", F_OK) == 0) return error;
    return ::linkat(fd, "", AT_FDCWD, to.c_str(), AT_EMPTY_PATH) == 0 ? 0 : errno;
}

// Gives `from` the name `to` unless `to` exists; 0 on success, else the errno (EEXIST: taken).
int rename_without_replacing(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
    // The file system cannot rename without replacing; a hard link never replaces either.
    if (::link(from.c_str(), to.c_str()) != 0) return errno;
    ::unlink(from.c_str());
    return 0;
}

// The new contents on their way to a name: an unnamed file, or on the fallback a named temporary
// that is removed unless it was published. Only a complete, flushed file is ever given a name
// other than the temporary's.
class PendingFile {
  public:
    PendingFile() = default;
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;
    ~PendingFile() {
        if (m_fd >= 0) ::close(m_fd);
        if (!m_temporary.empty()) ::unlink(m_temporary.c_str());
    }

    // 0, or the errno of the failed open.
    int open(const std::filesystem::path& target, mode_t mode, Staging staging) {
        const std::filesystem::path folder = folder_of(target);
        remove_stale_temporaries(folder);
        if (staging == Staging::kUnnamedFirst) {
            m_fd = ::open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
            if (m_fd >= 0) return 0;
            if (!lacks_unnamed_files(errno)) return errno;
        }
        for (int attempt = 0; attempt < kMaxTemporaryAttempts; ++attempt) {
            const std::filesystem::path temp = temporary_name(target);
            // O_EXCL: never reuse a file left over from a crash.
            m_fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
            if (m_fd >= 0) {
                m_temporary = temp;
                return 0;
            }
            if (errno != EEXIST) return errno;
        }
        return EEXIST;
    }

    // Writes and flushes `contents`; an empty string or the message naming `target`, the file
    // the user asked for, since the temporary means nothing to them.
    std::string fill(const std::filesystem::path& target, std::string_view contents) {
        if (!write_all(m_fd, contents)) return failure(target, "cannot write", errno);
        if (::fsync(m_fd) != 0) return failure(target, "cannot flush", errno);
        return {};
    }

    // Names the complete file `to` unless `to` exists: 0, EEXIST when taken, or the errno.
    int publish_new(const std::filesystem::path& to) {
        if (m_temporary.empty()) return link_unnamed(m_fd, to);
        const int error = rename_without_replacing(m_temporary, to);
        if (error == 0) m_temporary.clear();
        return error;
    }

    // Puts the complete file in place of `to`, which exists. A rename needs a name to start
    // from, so an unnamed file first gets a temporary one.
    int replace(const std::filesystem::path& to) {
        if (m_temporary.empty()) {
            int error = EEXIST;
            for (int attempt = 0; attempt < kMaxTemporaryAttempts && error == EEXIST; ++attempt) {
                const std::filesystem::path temp = temporary_name(to);
                error = link_unnamed(m_fd, temp);
                if (error == 0) m_temporary = temp;
            }
            if (error != 0) return error;
        }
        if (::rename(m_temporary.c_str(), to.c_str()) != 0) return errno;
        m_temporary.clear();
        return 0;
    }

    bool unnamed() const { return m_temporary.empty(); }

  private:
    int m_fd = -1;
    std::filesystem::path m_temporary;  // empty while the file has no name of its own
};

std::filesystem::path numbered(const std::filesystem::path& wanted, int n) {
    if (n == 1) return wanted;
    std::string name = wanted.stem().string();
    name += '-';
    name += std::to_string(n);
    name += wanted.extension().string();
    return wanted.parent_path() / name;
}

// Where a write to `path` lands: the end of its chain of symlinks, so that a link the user made
// keeps naming the file it names. A relative link is taken from the link's own folder; the path is
// left for the kernel to resolve, since folders on the way may be links too.
struct Target {
    std::filesystem::path path;
    bool exists = false;
    mode_t mode = 0;
    int error = 0;  // an errno other than ENOENT: the chain could not be followed
};

Target resolve_links(const std::filesystem::path& path) {
    std::filesystem::path at = path;
    for (int hops = 0;; ++hops) {
        struct stat st {};
        if (::lstat(at.c_str(), &st) != 0) {
            // Without a link on the way, creating the file names the reason better.
            const int error = errno;
            return {at, false, 0, error == ENOENT || hops == 0 ? 0 : error};
        }
        if (!S_ISLNK(st.st_mode)) return {at, true, st.st_mode, 0};
        if (hops == kMaxLinks) return {at, false, 0, ELOOP};
        std::error_code ec;
        const std::filesystem::path to = std::filesystem::read_symlink(at, ec);
        if (ec) return {at, false, 0, ec.value()};
        at = to.is_absolute() ? to : folder_of(at) / to;
    }
}

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "of an unknown kind";
}

// Empty when `target` may be replaced, else the one-line refusal naming `path` (and where its
// links lead). Renaming over a device, FIFO or socket would take it away from everyone using it.
std::string refusal(const std::filesystem::path& path, const Target& target) {
    if (target.error != 0) return failure(path, "cannot follow the link", target.error);
    if (!target.exists || S_ISREG(target.mode)) return {};
    std::string message = path.string();
    if (target.path != path) {
        message += " (a link to ";
        message += target.path.string();
        message += ')';
    }
    message += ": not a regular file (";
    message += kind_of(target.mode);
    message += "); not replaced";
    return message;
}

bool all_digits(std::string_view s) {
    if (s.empty() || s.size() > 9) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

int temporary_writer(const std::string& name) {
    const std::size_t tmp = name.rfind(".tmp-");
    if (name.size() < 2 || name[0] != '.' || tmp == std::string::npos || tmp < 2) return 0;
    const std::size_t dash = name.find('-', tmp + 5);
    if (dash == std::string::npos) return 0;
    const std::string_view pid = std::string_view(name).substr(tmp + 5, dash - tmp - 5);
    if (!all_digits(pid) || !all_digits(std::string_view(name).substr(dash + 1))) return 0;
    return std::stoi(std::string(pid));
}

std::string check_folder_writable(const std::filesystem::path& folder) {
    PendingFile probe;
    if (const int error = probe.open(folder / ".probe", 0600, Staging::kUnnamedFirst); error != 0)
        return failure(folder, "cannot write there", error);
    return {};
}

std::string write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                                  Staging staging) {
    // A dangling link gets the file it names, as a shell's `>` would; a link is never replaced.
    const Target target = resolve_links(path);
    if (std::string refused = refusal(path, target); !refused.empty()) return refused;
    PendingFile file;
    if (const int error = file.open(target.path, kReplacedFileMode, staging); error != 0)
        return failure(path, "cannot create", error);
    if (std::string error = file.fill(path, contents); !error.empty()) return error;
    // A path that does not exist yet is simply linked: no temporary name at any moment.
    if (file.unnamed()) {
        const int error = file.publish_new(target.path);
        if (error == 0) return {};
        if (error != EEXIST) return failure(path, "cannot create", error);
    }
    if (const int error = file.replace(target.path); error != 0)
        return failure(path, "cannot replace", error);
    return {};
}

NewFileResult write_new_file(const std::filesystem::path& wanted, std::string_view contents,
                             Staging staging) {
    PendingFile file;
    if (const int error = file.open(wanted, kNewFileMode, staging); error != 0)
        return {{}, failure(wanted, "cannot create", error)};
    if (std::string error = file.fill(wanted, contents); !error.empty())
        return {{}, std::move(error)};
    for (int n = 1; n <= kMaxNameAttempts; ++n) {
        const std::filesystem::path candidate = numbered(wanted, n);
        const int error = file.publish_new(candidate);
        if (error == 0) return {candidate, {}};
        if (error != EEXIST) return {{}, failure(candidate, "cannot create", error)};
    }
    return {{},
            wanted.string() + ": cannot create: the names up to " +
                numbered(wanted, kMaxNameAttempts).filename().string() + " are all taken"};
}

}  // namespace rl::io
