// A run's output folder changes as a whole (io/output_set): the files are staged beside it and
// swapped in at once; a folder holding anything of the user's is refused; what killed runs left
// is cleaned up; and a real headless run that fills the disk (a small tmpfs) leaves the old set
// byte for byte.

#include <doctest/doctest.h>

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "io/headless.hpp"
#include "io/output_set.hpp"
#include "support/child_process.hpp"
#include "support/folder_files.hpp"
#include "support/run_app.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using rl::io::OutputSet;
using rl::io::SetSwap;
using rl_test::TempDir;
using Files = std::map<std::string, std::string>;

void write_plain(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

using rl_test::names_in;

const Files kOldSet = {{"summary.csv", "old summary\n"}, {"policy.svg", "<svg>old</svg>\n"}};
const Files kNewSet = {{"summary.csv", "new summary, longer\n"}, {"snr.csv", "new snr\n"}};

void put(const fs::path& dir, const Files& files) {
    fs::create_directories(dir);
    for (const auto& [name, text] : files)
        write_plain(dir / name, text);
}

std::string stage_and_publish(OutputSet& set, const Files& files) {
    if (std::string error = set.begin(); !error.empty()) return error;
    for (const auto& [name, text] : files)
        if (std::string error = set.write(name, text); !error.empty()) return error;
    return set.publish();
}

std::string foreign(const fs::path& dir, const std::string& entry) {
    return dir.string() + ": holds " + entry + ", not a file a run writes; not replaced";
}

// The old set with a file of the user's beside it, which no run may take away.
const Files kOldSetAndNotes = [] {
    Files files = kOldSet;
    files["notes.txt"] = "mine\n";
    return files;
}();

pid_t gone_pid() {
    const pid_t pid = rl_test::spawn({"true"});
    REQUIRE(pid > 0);
    rl_test::reap(pid);
    return pid;
}

}  // namespace

TEST_CASE("output set: a missing folder appears with the whole set at once") {
    TempDir root("rl-set");
    const fs::path dir = root.path / "run";
    OutputSet set(dir, rl::io::kHeadlessOutputNames);
    REQUIRE(set.prepare().empty());
    REQUIRE(set.begin().empty());
    REQUIRE(set.write("summary.csv", kNewSet.at("summary.csv")).empty());
    // Staged under a hidden name beside it; the folder itself does not exist yet.
    const std::string staging = ".run.staging-" + std::to_string(::getpid());
    CHECK(names_in(root.path) == std::set<std::string>{staging});
    CHECK_FALSE(fs::exists(dir));
    REQUIRE(set.write("snr.csv", kNewSet.at("snr.csv")).empty());
    REQUIRE(set.publish().empty());
    CHECK(rl_test::files_in(dir) == kNewSet);
    CHECK(names_in(root.path) == std::set<std::string>{"run"});
    CHECK(set.files() == std::vector<fs::path>{dir / "summary.csv", dir / "snr.csv"});
    CHECK(set.notice().empty());
}

TEST_CASE("output set: an old set is replaced whole, by exchange or by two renames") {
    for (const SetSwap swap : {SetSwap::kExchangeFirst, SetSwap::kTwoRenames}) {
        INFO((swap == SetSwap::kExchangeFirst ? "exchange" : "two renames"));
        TempDir root("rl-set");
        const fs::path dir = root.path / "run";
        put(dir, kOldSet);
        OutputSet set(dir, rl::io::kHeadlessOutputNames, swap);
        REQUIRE(set.prepare().empty());
        REQUIRE(stage_and_publish(set, kNewSet).empty());
        // The old policy.svg goes with its set: the folder is the new run's, nothing of the old.
        CHECK(rl_test::files_in(dir) == kNewSet);
        CHECK(names_in(root.path) == std::set<std::string>{"run"});
    }
}

TEST_CASE("output set: a folder holding anything a run does not write is refused") {
    TempDir root("rl-set");
    const fs::path dir = root.path / "run";
    put(dir, kOldSet);
    write_plain(dir / "notes.txt", "mine\n");
    CHECK(OutputSet(dir, rl::io::kHeadlessOutputNames).prepare() == foreign(dir, "notes.txt"));
    fs::remove(dir / "notes.txt");
    // One of a run's names, but not a plain file: a folder or a link is not the run's to remove.
    fs::create_directory(dir / "snr.csv");
    CHECK(OutputSet(dir, rl::io::kHeadlessOutputNames).prepare() == foreign(dir, "snr.csv"));
    fs::remove(dir / "snr.csv");
    fs::create_symlink("/etc/hostname", dir / "snr.svg");
    CHECK(OutputSet(dir, rl::io::kHeadlessOutputNames).prepare() == foreign(dir, "snr.svg"));
    fs::remove(dir / "snr.svg");
    // A hidden entry counts like any other, except atomic_file's temporary of a run's file.
    write_plain(dir / ".summary.csv.tmp-12-0", "partial");
    CHECK(OutputSet(dir, rl::io::kHeadlessOutputNames).prepare().empty());
    write_plain(dir / ".hidden", "mine\n");
    CHECK(OutputSet(dir, rl::io::kHeadlessOutputNames).prepare() == foreign(dir, ".hidden"));

    const fs::path empty = root.path / "empty";
    fs::create_directory(empty);
    CHECK(OutputSet(empty, rl::io::kHeadlessOutputNames).prepare().empty());
    const fs::path file = root.path / "file";
    write_plain(file, "x");
    CHECK(OutputSet(file, rl::io::kHeadlessOutputNames).prepare() ==
          file.string() + ": not a folder");
    CHECK(OutputSet("/", rl::io::kHeadlessOutputNames).prepare() ==
          "/: not a folder a run can replace");
    // The user's files stay. The temporary is of a writer (pid 12) that is gone on most machines,
    // so a write in the folder may have removed it: it was ours.
    CHECK(fs::exists(dir / ".hidden"));
    const std::size_t left = rl_test::files_in(dir).size();
    CHECK((left == kOldSet.size() + 1 || left == kOldSet.size() + 2));
}

TEST_CASE("output set: something put in the folder during the run stops the swap") {
    TempDir root("rl-set");
    const fs::path dir = root.path / "run";
    put(dir, kOldSet);
    {
        OutputSet set(dir, rl::io::kHeadlessOutputNames);
        REQUIRE(set.prepare().empty());
        REQUIRE(set.begin().empty());
        REQUIRE(set.write("summary.csv", "new\n").empty());
        write_plain(dir / "notes.txt", "mine\n");
        CHECK(set.publish() == foreign(dir, "notes.txt"));
        CHECK(set.write("notes.txt", "x") ==
              (dir / "notes.txt").string() + ": not one of a run's files");
    }
    CHECK(rl_test::files_in(dir) == kOldSetAndNotes);
    // The unpublished set went with its OutputSet.
    CHECK(names_in(root.path) == std::set<std::string>{"run"});
}

TEST_CASE("output set: a link to the folder is followed and kept") {
    TempDir root("rl-set");
    const fs::path real = root.path / "real";
    put(real, kOldSet);
    const fs::path link = root.path / "latest";
    fs::create_symlink("real", link);
    OutputSet set(link, rl::io::kHeadlessOutputNames);
    REQUIRE(set.prepare().empty());
    REQUIRE(stage_and_publish(set, kNewSet).empty());
    CHECK(fs::read_symlink(link) == "real");
    CHECK(rl_test::files_in(real) == kNewSet);
    CHECK(names_in(root.path) == std::set<std::string>{"latest", "real"});
    // Named as the user named the folder: the link's path, not the folder's.
    CHECK(set.files() == std::vector<fs::path>{link / "snr.csv", link / "summary.csv"});

    fs::create_symlink("missing", root.path / "dangling");
    CHECK(OutputSet(root.path / "dangling", rl::io::kHeadlessOutputNames)
              .prepare()
              .rfind((root.path / "dangling").string() + ": cannot follow the link: ", 0) == 0);
}

TEST_CASE("output set: what runs that are gone left beside the folder is cleaned up") {
    TempDir root("rl-set");
    const pid_t gone = gone_pid();
    const std::string dead = std::to_string(gone);
    const std::string live = std::to_string(::getppid());
    CHECK(rl::io::staging_writer(".run.staging-" + dead) == gone);
    CHECK(rl::io::staging_writer(".run.staging-" + dead + "-old") == gone);
    CHECK(rl::io::staging_writer(".run.staging-12x") == 0);
    CHECK(rl::io::staging_writer("run.staging-12") == 0);
    CHECK(rl::io::staging_writer("..staging-12") == 0);

    // A dead run's staged files; another's old set, moved aside by the two renames before it was
    // killed, with no folder in its place: it goes back, not away.
    put(root.path / (".run.staging-" + dead), kNewSet);
    put(root.path / (".other.staging-" + dead + "-old"), kOldSet);
    // A live run's, and a dead one's holding something that is not a run's file.
    put(root.path / (".run.staging-" + live), kNewSet);
    put(root.path / (".third.staging-" + dead), {{"summary.csv", "x"}, {"mine.txt", "mine"}});

    OutputSet set(root.path / "run", rl::io::kHeadlessOutputNames);
    REQUIRE(set.prepare().empty());
    REQUIRE(stage_and_publish(set, kNewSet).empty());
    CHECK(names_in(root.path) ==
          std::set<std::string>{".run.staging-" + live, ".third.staging-" + dead, "other", "run"});
    CHECK(rl_test::files_in(root.path / "other") == kOldSet);
    CHECK(rl_test::files_in(root.path / (".third.staging-" + dead)) == Files{{"mine.txt", "mine"}});
}

TEST_CASE("output set: headless --out with files of the user's is refused before training") {
    TempDir root("rl-set");
    const fs::path out = root.path / "results";
    put(out, kOldSet);
    write_plain(out / "notes.txt", "mine\n");
    const rl_test::AppRun run = rl_test::run_app(
        "--headless --preset yes-no-maybe --engine cpu --set steps=5 --out '" + out.string() + "'",
        root, rl_test::kNoDisplay);
    CHECK(run.status == 2);
    CHECK(run.err == "reinforce-lab: --out " + foreign(out, "notes.txt") + "\n");
    CHECK(run.out.find("training") == std::string::npos);
    CHECK(rl_test::files_in(out) == kOldSetAndNotes);
    CHECK(names_in(root.path) ==
          std::set<std::string>{"exit-code.txt", "results", "stderr.txt", "stdout.txt"});
}

TEST_CASE("output set: a headless run that fills the disk leaves the old set byte for byte") {
    if (::geteuid() != 0) {
        MESSAGE("SKIPPED: mounting a small tmpfs needs root");
        return;
    }
    TempDir root("rl-full");
    const std::string common = "--headless --preset yes-no-maybe --engine cpu --threads 2 --svg ";
    const std::string small = common + "--set steps=10 --set runs=8 ";
    const std::string large = common + "--set steps=400 --set runs=64 ";
    // The new set's sizes, from a run on the ordinary disk: the tmpfs gets room for the old set
    // and the new CSV files, so that the failure comes at a later file, after others were staged.
    const fs::path reference = root.path / "reference";
    REQUIRE(
        rl_test::run_app(large + "--out '" + reference.string() + "'", root, rl_test::kNoDisplay)
            .status == 0);
    const Files new_set = rl_test::files_in(reference);
    const auto pages = [](const Files& files) {
        std::size_t n = 0;
        for (const auto& [name, text] : files)
            n += (text.size() + 4095) / 4096;
        return n;
    };
    const fs::path disk = root.path / "disk";
    fs::create_directory(disk);
    const fs::path out = disk / "run";
    // The old set first, on a tmpfs large enough for it alone, to learn its size there.
    if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=4m") != 0) {
        MESSAGE("SKIPPED: cannot mount a tmpfs here: " << std::strerror(errno));
        return;
    }
    struct Unmount {
        fs::path at;
        ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
    } unmount{disk};
    REQUIRE(rl_test::run_app(small + "--out '" + out.string() + "'", root, rl_test::kNoDisplay)
                .status == 0);
    const Files old_set = rl_test::files_in(out);
    // Every name but those only an episode's run writes: horizon.csv, credit.svg, length.svg.
    REQUIRE(old_set.size() == rl::io::kHeadlessOutputNames.size() - 3);
    const std::size_t room =
        pages(old_set) +
        pages({{"summary.csv", new_set.at("summary.csv")}, {"snr.csv", new_set.at("snr.csv")}}) + 1;
    const std::string size = "size=" + std::to_string(room * 4096);
    REQUIRE_MESSAGE(::mount("tmpfs", disk.c_str(), "tmpfs", MS_REMOUNT, size.c_str()) == 0,
                    std::strerror(errno));
    REQUIRE(pages(new_set) > room);

    const rl_test::AppRun run =
        rl_test::run_app(large + "--out '" + out.string() + "'", root, rl_test::kNoDisplay);
    INFO("stderr: " << run.err);
    CHECK(run.status == 1);
    const std::vector<std::string> lines = rl_test::lines_of(run.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("reinforce-lab: ", 0) == 0);
    CHECK(lines[0].find(out.string() + "/") != std::string::npos);
    CHECK(lines[0].find(": No space left on device") != std::string::npos);
    // Not the first file: the ones staged before it were dropped with it.
    CHECK(lines[0].find("summary.csv") == std::string::npos);
    MESSAGE("tmpfs of " << room * 4096 << " bytes; " << lines[0]);
    CHECK(rl_test::files_in(out) == old_set);
    CHECK(names_in(disk) == std::set<std::string>{"run"});
    CHECK(run.out.find("wrote ") == std::string::npos);
}
