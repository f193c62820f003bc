#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rl::io {

namespace {

// Enough for a folder of screenshots taken in the same second; beyond that something is wrong.
constexpr int kMaxNameAttempts = 10000;
constexpr int kMaxTemporaryAttempts = 100;

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

// Fills the already created `temp` and flushes it to disk, so that publishing it under the real
// name shows the whole file; removes it on failure. Messages name `target`, the file the user
// asked for, since the temporary means nothing to them.
std::string fill_temporary(int fd, const std::filesystem::path& temp,
                           const std::filesystem::path& target, std::string_view contents) {
    std::string_view step = "cannot write";
    bool ok = write_all(fd, contents);
    if (ok) {
        step = "cannot flush";
        ok = ::fsync(fd) == 0;
    }
    const int error = errno;
    if (::close(fd) != 0 && ok) {
        const int close_error = errno;
        ::unlink(temp.c_str());
        return failure(target, "cannot close", close_error);
    }
    if (ok) return {};
    ::unlink(temp.c_str());
    return failure(target, step, error);
}

// Creates a temporary beside `target` that no other writer uses: the pid keeps processes apart,
// the counter threads, and O_EXCL anything left over from a crash. -1 with errno on failure.
int create_temporary(const std::filesystem::path& target, std::filesystem::path& temp) {
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < kMaxTemporaryAttempts; ++attempt) {
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
        std::string name = ".";
        name += target.filename().string();
        name += ".tmp-";
        name += std::to_string(::getpid());
        name += '-';
        name += std::to_string(counter.fetch_add(1));
        temp = target.parent_path() / name;
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

// Gives `from` the name `to` unless `to` exists; 0 on success, else the errno (EEXIST: taken).
int publish_without_replacing(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
    // The file system cannot rename without replacing; a hard link never replaces either.
    if (::link(from.c_str(), to.c_str()) != 0) return errno;
    ::unlink(from.c_str());
    return 0;
}

std::filesystem::path numbered(const std::filesystem::path& wanted, int n) {
    if (n == 1) return wanted;
    std::string name = wanted.stem().string();
    name += '-';
    name += std::to_string(n);
    name += wanted.extension().string();
    return wanted.parent_path() / name;
}

}  // namespace

std::string write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    // Same folder as the target, so the rename never crosses file systems; the pid keeps two
    // processes writing the same file from sharing a temporary.
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(::getpid());

    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return failure(path, "cannot create", errno);
    if (std::string error = fill_temporary(fd, temp, path, contents); !error.empty()) return error;
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return failure(path, "cannot replace", error);
    }
    return {};
}

NewFileResult write_new_file(const std::filesystem::path& wanted, std::string_view contents) {
    std::filesystem::path temp;
    const int fd = create_temporary(wanted, temp);
    if (fd < 0) return {{}, failure(wanted, "cannot create", errno)};
    if (std::string error = fill_temporary(fd, temp, wanted, contents); !error.empty())
        return {{}, std::move(error)};
    for (int n = 1; n <= kMaxNameAttempts; ++n) {
        const std::filesystem::path candidate = numbered(wanted, n);
        const int error = publish_without_replacing(temp, candidate);
        if (error == 0) return {candidate, {}};
        if (error != EEXIST) {
            ::unlink(temp.c_str());
            return {{}, failure(candidate, "cannot create", error)};
        }
    }
    ::unlink(temp.c_str());
    return {{},
            wanted.string() + ": cannot create: the names up to " +
                numbered(wanted, kMaxNameAttempts).filename().string() + " are all taken"};
}

}  // namespace rl::io
