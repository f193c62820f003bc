#include "io/output_set.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "io/atomic_file.hpp"

namespace rl::io {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStagingMark = ".staging-";
constexpr std::string_view kOldSuffix = "-old";

std::string message(const fs::path& path, std::string_view what) {
    std::string text = path.string();
    text += ": ";
    text += what;
    return text;
}

std::string failure(const fs::path& path, std::string_view what, int error) {
    std::string text = message(path, what);
    text += ": ";
    text += std::strerror(error);
    return text;
}

fs::path parent_of(const fs::path& dir) {
    return dir.has_parent_path() ? dir.parent_path() : fs::path(".");
}

struct Resolved {
    fs::path dir;
    std::string error;
};

// The folder `given` names. The set replaces it by a rename in its parent, so it needs a name
// there: "out/" is "out", "." and ".." become their real paths, and a link is followed so that
// the link stays and the folder it names is replaced.
Resolved resolve(const fs::path& given) {
    fs::path dir = given;
    if (!dir.empty() && !dir.has_filename()) dir = dir.parent_path();
    std::error_code ec;
    const std::string last = dir.filename().string();
    if (last == "." || last == "..") {
        dir = fs::canonical(dir, ec);
        if (ec) return {{}, failure(given, "cannot find it", ec.value())};
    }
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        dir = fs::canonical(dir, ec);
        if (ec) return {{}, failure(given, "cannot follow the link", ec.value())};
    }
    if (dir.empty() || !dir.has_filename())
        return {{}, message(given, "not a folder a run can replace")};
    return {dir, {}};
}

fs::path staging_for(const fs::path& dir) {
    std::string name = ".";
    name += dir.filename().string();
    name += kStagingMark;
    name += std::to_string(::getpid());
    return parent_of(dir) / name;
}

bool is_folder(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The names are flushed to the disk with the folder that holds them, not with the files.
int sync_folder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int error = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return error;
}

// In name order, so that a refusal names the same entry every time.
std::vector<std::string> entries_of(const fs::path& folder) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

bool unsupported(int error) {
    return error == EINVAL || error == ENOSYS || error == ENOTSUP;
}

bool all_digits(std::string_view s) {
    if (s.empty() || s.size() > 9) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The folder name a staging folder `name` was made beside, or empty.
std::string_view staged_name(std::string_view name) {
    const std::size_t mark = name.rfind(kStagingMark);
    if (name.size() < 2 || name[0] != '.' || mark == std::string_view::npos || mark < 2) return {};
    return name.substr(1, mark - 1);
}

bool writer_gone(int pid) {
    // EPERM: a live process of another user; only ESRCH says nobody has that pid.
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

int staging_writer(std::string_view name) {
    if (staged_name(name).empty()) return 0;
    std::string_view pid = name.substr(name.rfind(kStagingMark) + kStagingMark.size());
    if (pid.ends_with(kOldSuffix)) pid.remove_suffix(kOldSuffix.size());
    return all_digits(pid) ? std::stoi(std::string(pid)) : 0;
}

OutputSet::OutputSet(fs::path dir, std::span<const std::string_view> names, SetSwap swap)
    : m_shown(std::move(dir)), m_names(names.begin(), names.end()), m_swap(swap) {}

OutputSet::~OutputSet() {
    if (m_pending) remove_set(m_staging);
}

// A run's own file: one of its names, or atomic_file's temporary of one (`.NAME.tmp-PID-N`, which
// an older run that wrote into DIR itself may have left), and a regular file, not a link.
bool OutputSet::owned(const fs::path& folder, const std::string& name) const {
    std::string base = name;
    if (temporary_writer(name) > 0) base = name.substr(1, name.rfind(".tmp-") - 1);
    if (std::find(m_names.begin(), m_names.end(), base) == m_names.end()) return false;
    struct stat st {};
    return ::lstat((folder / name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string OutputSet::foreign_entry(const fs::path& folder) const {
    for (const std::string& name : entries_of(folder))
        if (!owned(folder, name)) return name;
    return {};
}

std::string OutputSet::foreign_message(const std::string& entry) const {
    std::string text = m_shown.string();
    text += ": holds ";
    text += entry;
    text += ", not a file a run writes; not replaced";
    return text;
}

// The staging folder is made in DIR's parent: a refusal there says which of the two it stops.
std::string OutputSet::staging_failure(int error) const {
    if (!is_folder(m_dir)) return failure(m_shown, "cannot create", error);
    std::string what = "cannot replace it: its folder ";
    what += parent_of(m_dir).string();
    return failure(m_shown, what, error);
}

int OutputSet::remove_set(const fs::path& folder) const {
    for (const std::string& name : entries_of(folder))
        if (owned(folder, name)) ::unlink((folder / name).c_str());
    return ::rmdir(folder.c_str()) == 0 ? 0 : errno;
}

void OutputSet::remove_stale_staging() const {
    const fs::path parent = parent_of(m_dir);
    for (const std::string& name : entries_of(parent)) {
        const int writer = staging_writer(name);
        if (writer <= 0 || writer == ::getpid() || !writer_gone(writer)) continue;
        const fs::path folder = parent / name;
        if (!is_folder(folder)) continue;
        // Killed between the two renames: the old set was moved aside and no DIR took its place,
        // so it goes back rather than away.
        if (name.ends_with(kOldSuffix)) {
            const fs::path dir = parent / std::string(staged_name(name));
            struct stat st {};
            if (::lstat(dir.c_str(), &st) != 0 && errno == ENOENT &&
                ::rename(folder.c_str(), dir.c_str()) == 0)
                continue;
        }
        remove_set(folder);
    }
}

std::string OutputSet::prepare() {
    Resolved resolved = resolve(m_shown);
    if (!resolved.error.empty()) return resolved.error;
    m_dir = std::move(resolved.dir);
    struct stat st {};
    if (::lstat(m_dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) return message(m_shown, "not a folder");
        if (const std::string entry = foreign_entry(m_dir); !entry.empty())
            return foreign_message(entry);
        // The old set is removed from it once the new one is in place.
        if (std::string error = check_folder_writable(m_dir); !error.empty()) return error;
    } else {
        std::error_code ec;
        fs::create_directories(parent_of(m_dir), ec);
        if (ec) return failure(m_shown, "cannot create", ec.value());
    }
    // Made and removed at once: the parent must take a new folder. One of ours by this pid is
    // a dead run's, which begin() removes.
    const fs::path probe = staging_for(m_dir);
    if (::mkdir(probe.c_str(), 0700) != 0) {
        if (errno != EEXIST) return staging_failure(errno);
    } else {
        ::rmdir(probe.c_str());
    }
    return {};
}

std::string OutputSet::begin() {
    Resolved resolved = resolve(m_shown);
    if (!resolved.error.empty()) return resolved.error;
    m_dir = std::move(resolved.dir);
    remove_stale_staging();
    m_staging = staging_for(m_dir);
    // With this pid it can only be left by an earlier process that had the same one.
    if (is_folder(m_staging)) remove_set(m_staging);
    if (::mkdir(m_staging.c_str(), 0777) != 0) return staging_failure(errno);
    m_pending = true;
    return {};
}

std::string OutputSet::write(std::string_view name, std::string_view contents) {
    const fs::path shown = m_shown / name;
    if (std::find(m_names.begin(), m_names.end(), name) == m_names.end())
        return message(shown, "not one of a run's files");
    if (!m_pending) return message(shown, "the run's staging folder was not made");
    const fs::path staged = m_staging / name;
    std::string error = write_file_atomically(staged, contents);
    if (!error.empty()) {
        // The user knows the file by the name it would have had.
        if (error.starts_with(staged.string()))
            error.replace(0, staged.string().size(), shown.string());
        return error;
    }
    if (std::find(m_written.begin(), m_written.end(), name) == m_written.end())
        m_written.emplace_back(name);
    return {};
}

std::string OutputSet::publish() {
    if (!m_pending) return message(m_shown, "no staged files to put in place");
    if (const int error = sync_folder(m_staging); error != 0)
        return failure(m_shown, "cannot flush", error);
    if (std::string error = swap_in(); !error.empty()) return error;
    (void)sync_folder(parent_of(m_dir));
    return {};
}

std::string OutputSet::swap_in() {
    struct stat st {};
    if (::lstat(m_dir.c_str(), &st) != 0) {
        if (::renameat2(AT_FDCWD, m_staging.c_str(), AT_FDCWD, m_dir.c_str(), RENAME_NOREPLACE) ==
            0) {
            m_pending = false;
            return {};
        }
        // Without RENAME_NOREPLACE a plain rename could replace only an empty folder.
        if (unsupported(errno) && ::rename(m_staging.c_str(), m_dir.c_str()) == 0) {
            m_pending = false;
            return {};
        }
        if (errno != EEXIST && errno != ENOTEMPTY) return failure(m_shown, "cannot create", errno);
        if (::lstat(m_dir.c_str(), &st) != 0) return failure(m_shown, "cannot replace", errno);
    }
    // Checked again: the folder may have changed during the run.
    if (!S_ISDIR(st.st_mode)) return message(m_shown, "not a folder; not replaced");
    if (const std::string entry = foreign_entry(m_dir); !entry.empty())
        return foreign_message(entry);

    fs::path old = m_staging;  // after the exchange the old set is under the staging name
    bool swapped = false;
    if (m_swap == SetSwap::kExchangeFirst) {
        swapped =
            ::renameat2(AT_FDCWD, m_staging.c_str(), AT_FDCWD, m_dir.c_str(), RENAME_EXCHANGE) == 0;
        if (!swapped && !unsupported(errno)) return failure(m_shown, "cannot replace", errno);
    }
    if (!swapped) {
        old += kOldSuffix;
        if (::rename(m_dir.c_str(), old.c_str()) != 0)
            return failure(m_shown, "cannot replace", errno);
        if (::rename(m_staging.c_str(), m_dir.c_str()) != 0) {
            const int error = errno;
            ::rename(old.c_str(), m_dir.c_str());
            return failure(m_shown, "cannot replace", error);
        }
    }
    m_pending = false;
    if (const int error = remove_set(old); error != 0) {
        std::string what = "the new files are in place, but the old ones' folder ";
        what += old.string();
        what += " was kept";
        const std::string entry = foreign_entry(old);
        m_notice = entry.empty() ? failure(m_shown, what, error)
                                 : message(m_shown, what + ": it holds " + entry);
    }
    return {};
}

std::vector<fs::path> OutputSet::files() const {
    std::vector<fs::path> files;
    for (const std::string& name : m_written)
        files.push_back(m_shown / name);
    return files;
}

}  // namespace rl::io
