// What the atomic writer does with a target that is not a plain file: a FIFO, socket, device or
// folder is refused and left as it was; a symlink (alone, in a chain, dangling) is written
// through and kept. CTest runs these cases twice, as whoever runs the tests and, when that is
// root, again as nobody (tests/support/run_unprivileged.sh), since root passes every permission
// check and so could hide a temporary made in the wrong folder.

#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "io/atomic_file.hpp"
#include "support/folder_files.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl::io::Staging;
using rl_test::TempDir;

const std::string kOld = "the old contents\n";
const std::string kNew = "the new contents, longer than the old\n";

using rl_test::names_in;

struct stat lstat_of(const fs::path& p) {
    struct stat st {};
    REQUIRE_MESSAGE(::lstat(p.c_str(), &st) == 0, p.string() << ": " << std::strerror(errno));
    return st;
}

void write_plain(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string refusal(const fs::path& p, const std::string& kind) {
    return p.string() + ": not a regular file (" + kind + "); not replaced";
}

// Both ways the writer can stage its file, since the named temporary takes another path.
const Staging kStagings[] = {Staging::kUnnamedFirst, Staging::kNamedTemporary};

const char* staging_name(Staging s) {
    return s == Staging::kUnnamedFirst ? "unnamed staging" : "named staging";
}

}  // namespace

TEST_CASE("atomic file: a FIFO at the target is refused and stays a FIFO") {
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        TempDir dir("rl-atomic");
        const fs::path fifo = dir.path / "session.json";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        // Nothing opens the FIFO, or this would block until a reader came.
        CHECK(rl::io::write_file_atomically(fifo, kNew, staging) == refusal(fifo, "a FIFO"));
        CHECK(S_ISFIFO(lstat_of(fifo).st_mode));
        CHECK(names_in(dir.path) == std::set<std::string>{"session.json"});
    }
}

TEST_CASE("atomic file: a socket at the target is refused and stays a socket") {
    TempDir dir("rl-atomic");
    const fs::path sock = dir.path / "out.csv";
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(sock.string().size() < sizeof address.sun_path);
    std::strncpy(address.sun_path, sock.c_str(), sizeof address.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        CHECK(rl::io::write_file_atomically(sock, kNew, staging) == refusal(sock, "a socket"));
        CHECK(S_ISSOCK(lstat_of(sock).st_mode));
        CHECK(names_in(dir.path) == std::set<std::string>{"out.csv"});
    }
    ::close(fd);
}

TEST_CASE("atomic file: a device node at the target is refused and stays a device") {
    TempDir dir("rl-atomic");
    fs::path device = "/dev/null";
    if (::geteuid() == 0) {
        // Root could replace the real /dev/null, so it is tried on a node of its own making.
        device = dir.path / "null";
        REQUIRE_MESSAGE(::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0,
                        std::strerror(errno));
        const fs::path block = dir.path / "loop";
        REQUIRE(::mknod(block.c_str(), S_IFBLK | 0600, ::makedev(7, 0)) == 0);
        CHECK(rl::io::write_file_atomically(block, kNew) == refusal(block, "a block device"));
        CHECK(S_ISBLK(lstat_of(block).st_mode));
    } else {
        // Another user cannot create or rename anything in /dev, so a broken writer could not
        // replace /dev/null here either; it would only fail with another message.
        REQUIRE(::access(device.parent_path().c_str(), W_OK) != 0);
    }
    const struct stat before = lstat_of(device);
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        CHECK(rl::io::write_file_atomically(device, kNew, staging) ==
              refusal(device, "a character device"));
        const struct stat after = lstat_of(device);
        CHECK(S_ISCHR(after.st_mode));
        CHECK(after.st_ino == before.st_ino);
        CHECK(after.st_rdev == before.st_rdev);
    }
    if (::geteuid() == 0) CHECK(names_in(dir.path) == std::set<std::string>{"loop", "null"});
}

TEST_CASE("atomic file: a folder at the target is refused with its contents kept") {
    TempDir dir("rl-atomic");
    const fs::path folder = dir.path / "plot.svg";
    fs::create_directory(folder);
    write_plain(folder / "inside.txt", kOld);
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        CHECK(rl::io::write_file_atomically(folder, kNew, staging) == refusal(folder, "a folder"));
        CHECK(fs::is_directory(folder));
        CHECK(rl_test::read_text(folder / "inside.txt") == kOld);
        CHECK(names_in(dir.path) == std::set<std::string>{"plot.svg"});
    }
}

TEST_CASE("atomic file: a symlink to a file is written through and kept") {
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        TempDir dir("rl-atomic");
        write_plain(dir.path / "real.json", kOld);
        const fs::path link = dir.path / "session.json";
        fs::create_symlink("real.json", link);
        const ino_t inode = lstat_of(dir.path / "real.json").st_ino;
        REQUIRE(rl::io::write_file_atomically(link, kNew, staging).empty());
        CHECK(fs::is_symlink(link));
        CHECK(fs::read_symlink(link) == "real.json");
        CHECK(rl_test::read_text(dir.path / "real.json") == kNew);
        // Replaced whole (a new file renamed over it), not rewritten in place.
        CHECK(lstat_of(dir.path / "real.json").st_ino != inode);
        CHECK(names_in(dir.path) == std::set<std::string>{"real.json", "session.json"});
    }
}

TEST_CASE("atomic file: the temporary is made in the link target's folder") {
    // On another file system a temporary made beside the link could not be renamed to the target
    // (EXDEV); a read-only link folder stops a writer that is not root from making one there.
    const fs::path shm = "/dev/shm";
    TempDir links("rl-atomic-links");
    if (!fs::is_directory(shm) || ::access(shm.c_str(), W_OK) != 0) {
        MESSAGE("SKIPPED: no writable /dev/shm to put the target on another file system");
        return;
    }
    std::string pattern = (shm / "rl-atomic-target-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    const fs::path target_dir = pattern;
    const bool other_device = lstat_of(target_dir).st_dev != lstat_of(links.path).st_dev;
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        const fs::path target = target_dir / "frame.png";
        write_plain(target, kOld);
        const fs::path link = links.path / "frame.png";
        fs::remove(link);
        fs::create_symlink(target, link);
        ::chmod(links.path.c_str(), 0555);
        const std::string error = rl::io::write_file_atomically(link, kNew, staging);
        ::chmod(links.path.c_str(), 0755);
        CHECK_MESSAGE(error.empty(), error);
        CHECK(fs::read_symlink(link) == target);
        CHECK(rl_test::read_text(target) == kNew);
        CHECK(names_in(links.path) == std::set<std::string>{"frame.png"});
        CHECK(names_in(target_dir) == std::set<std::string>{"frame.png"});
    }
    std::error_code ec;
    fs::remove_all(target_dir, ec);
    if (!other_device) MESSAGE("/dev/shm is on the same file system as the temp folder here");
}

TEST_CASE("atomic file: a chain of symlinks is followed to its end and every link kept") {
    TempDir dir("rl-atomic");
    fs::create_directory(dir.path / "a");
    fs::create_directory(dir.path / "b");
    write_plain(dir.path / "b" / "real.csv", kOld);
    // Relative links count from their own folder, so a/first -> ../b/second -> real.csv.
    fs::create_symlink("../b/second.csv", dir.path / "a" / "first.csv");
    fs::create_symlink("real.csv", dir.path / "b" / "second.csv");
    const fs::path start = dir.path / "start.csv";
    fs::create_symlink(dir.path / "a" / "first.csv", start);
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        const std::string text = kNew + staging_name(staging);
        REQUIRE(rl::io::write_file_atomically(start, text, staging).empty());
        CHECK(rl_test::read_text(dir.path / "b" / "real.csv") == text);
        CHECK(fs::read_symlink(start) == dir.path / "a" / "first.csv");
        CHECK(fs::read_symlink(dir.path / "a" / "first.csv") == "../b/second.csv");
        CHECK(fs::read_symlink(dir.path / "b" / "second.csv") == "real.csv");
        CHECK(names_in(dir.path / "a") == std::set<std::string>{"first.csv"});
        CHECK(names_in(dir.path / "b") == std::set<std::string>{"real.csv", "second.csv"});
    }
    // A link to a FIFO is refused like the FIFO, naming both.
    REQUIRE(::mkfifo((dir.path / "b" / "pipe").c_str(), 0600) == 0);
    const fs::path to_pipe = dir.path / "to-pipe";
    fs::create_symlink("b/pipe", to_pipe);
    std::string expected = to_pipe.string();
    expected += " (a link to ";
    expected += (dir.path / "b/pipe").string();
    expected += "): not a regular file (a FIFO); not replaced";
    CHECK(rl::io::write_file_atomically(to_pipe, kNew) == expected);
    CHECK(S_ISFIFO(lstat_of(dir.path / "b" / "pipe").st_mode));
}

TEST_CASE("atomic file: a dangling symlink gets the file it names, and a loop is refused") {
    for (const Staging staging : kStagings) {
        INFO(staging_name(staging));
        TempDir dir("rl-atomic");
        const fs::path link = dir.path / "session.json";
        fs::create_symlink("saved/session.json", link);
        fs::create_directory(dir.path / "saved");
        REQUIRE(rl::io::write_file_atomically(link, kNew, staging).empty());
        CHECK(fs::read_symlink(link) == "saved/session.json");
        CHECK(rl_test::read_text(dir.path / "saved" / "session.json") == kNew);
        CHECK(names_in(dir.path / "saved") == std::set<std::string>{"session.json"});

        // Pointing into a folder that does not exist: nothing is made, the link stays.
        const fs::path nowhere = dir.path / "nowhere.json";
        fs::create_symlink("missing/x.json", nowhere);
        const std::string error = rl::io::write_file_atomically(nowhere, kNew, staging);
        CHECK(error.rfind(nowhere.string() + ": cannot create: ", 0) == 0);
        CHECK(fs::is_symlink(nowhere));
        CHECK_FALSE(fs::exists(dir.path / "missing"));

        const fs::path loop = dir.path / "loop-a";
        fs::create_symlink("loop-b", loop);
        fs::create_symlink("loop-a", dir.path / "loop-b");
        CHECK(rl::io::write_file_atomically(loop, kNew, staging) ==
              loop.string() + ": cannot follow the link: " + std::strerror(ELOOP));
        CHECK(fs::read_symlink(loop) == "loop-b");
        CHECK(names_in(dir.path) ==
              std::set<std::string>{"loop-a", "loop-b", "nowhere.json", "saved", "session.json"});
    }
}

TEST_CASE("atomic file: write_new_file never replaces or writes through what is there") {
    TempDir dir("rl-atomic");
    write_plain(dir.path / "real.csv", kOld);
    fs::create_symlink("real.csv", dir.path / "link.csv");
    fs::create_symlink("gone.csv", dir.path / "dangling.csv");
    REQUIRE(::mkfifo((dir.path / "fifo.csv").c_str(), 0600) == 0);
    fs::create_directory(dir.path / "folder.csv");
    for (const char* name : {"link.csv", "dangling.csv", "fifo.csv", "folder.csv"}) {
        INFO(name);
        const rl::io::NewFileResult r = rl::io::write_new_file(dir.path / name, kNew);
        REQUIRE_MESSAGE(r.error.empty(), r.error);
        const std::string stem = fs::path(name).stem().string();
        CHECK(r.path == dir.path / (stem + "-2.csv"));
        CHECK(rl_test::read_text(r.path) == kNew);
    }
    CHECK(rl_test::read_text(dir.path / "real.csv") == kOld);
    CHECK(fs::read_symlink(dir.path / "link.csv") == "real.csv");
    CHECK(fs::read_symlink(dir.path / "dangling.csv") == "gone.csv");
    CHECK_FALSE(fs::exists(dir.path / "gone.csv"));
    CHECK(S_ISFIFO(lstat_of(dir.path / "fifo.csv").st_mode));
    CHECK(fs::is_empty(dir.path / "folder.csv"));
}
