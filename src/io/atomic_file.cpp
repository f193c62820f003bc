#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rl::io {

namespace {

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

}  // namespace

std::string write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    // Same folder as the target, so the rename never crosses file systems; the pid keeps two
    // processes writing the same file from sharing a temporary.
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(::getpid());

    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return failure(path, "cannot create", errno);

    if (!write_all(fd, contents)) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return failure(path, "cannot write", error);
    }
    // The data must be on disk before the rename makes it visible under the real name.
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return failure(path, "cannot flush", error);
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return failure(path, "cannot close", error);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        return failure(path, "cannot replace", error);
    }
    return {};
}

}  // namespace rl::io
