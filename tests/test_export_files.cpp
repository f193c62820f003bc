// Exports: a new file never replaces an existing one, a failed write leaves nothing behind, and
// file names carry the preset, the plot and the local time in a shell-safe form.

#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>

#include "io/atomic_file.hpp"
#include "io/export_names.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

using rl_test::TempDir;

std::string contents(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every name in the folder, hidden ones (a leftover temporary) included.
std::set<std::string> names_in(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder))
        names.insert(entry.path().filename().string());
    return names;
}

// Restores an environment variable at scope exit, so a test cannot change the next one's.
class EnvGuard {
  public:
    explicit EnvGuard(const char* name) : m_name(name) {
        if (const char* value = std::getenv(name)) m_value = value;
    }
    ~EnvGuard() {
        if (m_value) {
            ::setenv(m_name, m_value->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

  private:
    const char* m_name;
    std::optional<std::string> m_value;
};

std::chrono::system_clock::time_point local_time(int year, int month, int day, int hour, int min,
                                                 int sec) {
    std::tm t{};
    t.tm_year = year - 1900;
    t.tm_mon = month - 1;
    t.tm_mday = day;
    t.tm_hour = hour;
    t.tm_min = min;
    t.tm_sec = sec;
    t.tm_isdst = -1;
    return std::chrono::system_clock::from_time_t(std::mktime(&t));
}

}  // namespace

TEST_CASE("export files: an existing file is never replaced and new ones get -2 and -3") {
    TempDir dir;
    const fs::path wanted = dir.path / "plot.png";
    std::ofstream(wanted) << "first";

    const rl::io::NewFileResult second = rl::io::write_new_file(wanted, "second");
    REQUIRE_MESSAGE(second.error.empty(), second.error);
    CHECK(second.path == dir.path / "plot-2.png");
    const rl::io::NewFileResult third = rl::io::write_new_file(wanted, "third");
    REQUIRE_MESSAGE(third.error.empty(), third.error);
    CHECK(third.path == dir.path / "plot-3.png");

    CHECK(contents(wanted) == "first");
    CHECK(contents(second.path) == "second");
    CHECK(contents(third.path) == "third");
    CHECK(names_in(dir.path) == std::set<std::string>{"plot.png", "plot-2.png", "plot-3.png"});
}

TEST_CASE("export files: a free name is used as it is") {
    TempDir dir;
    const rl::io::NewFileResult r = rl::io::write_new_file(dir.path / "table.csv", "a,b\n1,2\n");
    REQUIRE_MESSAGE(r.error.empty(), r.error);
    CHECK(r.path == dir.path / "table.csv");
    CHECK(contents(r.path) == "a,b\n1,2\n");
    CHECK(names_in(dir.path) == std::set<std::string>{"table.csv"});
}

TEST_CASE("export files: an unwritable folder gives a message and leaves nothing behind") {
    TempDir dir;
    fs::path folder = dir.path / "locked";
    fs::create_directory(folder);
    ::chmod(folder.c_str(), 0555);
    std::string reason = "Permission denied";
    // Permissions do not stop root (the tests run as root in CI): a regular file where the
    // folder should be makes the write fail for everyone.
    if (::access(folder.c_str(), W_OK) == 0) {
        folder = dir.path / "file.txt";
        std::ofstream(folder) << "not a folder";
        reason = "Not a directory";
    }
    const std::set<std::string> before = names_in(dir.path);
    const fs::path wanted = folder / "x.png";
    const rl::io::NewFileResult r = rl::io::write_new_file(wanted, "pixels");
    CHECK(r.path.empty());
    CHECK(r.error == wanted.string() + ": cannot create: " + reason);
    CHECK(names_in(dir.path) == before);
    if (fs::is_directory(folder)) CHECK(names_in(folder).empty());
    ::chmod((dir.path / "locked").c_str(), 0755);  // so the temp dir can be removed
}

TEST_CASE("export files: names carry preset and plot and local time in a shell-safe form") {
    const auto t = local_time(2024, 3, 5, 14, 7, 9);
    CHECK(rl::io::export_file_name("Yes/No Maybe", "Policy plot", "png", t) ==
          "yes-no-maybe_policy-plot_20240305-140709.png");
    CHECK(rl::io::export_file_name("", "snr", ".SVG", t) == "session_snr_20240305-140709.svg");
    CHECK(rl::io::export_file_name("kl-anchor", "", "png", t) == "kl-anchor_20240305-140709.png");
    CHECK(rl::io::export_file_name("caf\xc3\xa9_2", "reward", "csv", t) ==
          "caf--_2_reward_20240305-140709.csv");
}

TEST_CASE("export files: the default folder is XDG_PICTURES_DIR or ~/Pictures or HOME") {
    EnvGuard pictures_guard("XDG_PICTURES_DIR");
    EnvGuard home_guard("HOME");
    TempDir dir;

    ::setenv("XDG_PICTURES_DIR", (dir.path / "pics").c_str(), 1);
    CHECK(rl::io::default_export_folder() == dir.path / "pics" / "reinforce-lab");

    ::unsetenv("XDG_PICTURES_DIR");
    ::setenv("HOME", dir.path.c_str(), 1);
    CHECK(rl::io::default_export_folder() == dir.path / "reinforce-lab");
    fs::create_directory(dir.path / "Pictures");
    CHECK(rl::io::default_export_folder() == dir.path / "Pictures" / "reinforce-lab");

    ::unsetenv("HOME");
    CHECK(rl::io::default_export_folder() == fs::current_path() / "reinforce-lab");
}
