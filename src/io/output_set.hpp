#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// A run's output folder changes as a whole: its files are written into a staging folder beside
// it (`.DIR.staging-PID`, same parent, so one rename moves it), and only when every file is
// complete does the staging folder take DIR's place, by one rename when DIR does not exist, else
// by swapping the two folders (renameat2 RENAME_EXCHANGE) and removing the old set from under the
// staging name. A reader, a full disk or a kill at any moment sees the old set or the whole new
// one, never a mix. The folder is the run's to replace only while it holds nothing but names a
// run writes; anything else there is refused, before the run and again before the swap. A
// staging folder left by a killed run is removed by the next run beside it.
namespace rl::io {

// How the staged set takes an old set's place. kExchangeFirst swaps the folders in one step and
// falls back to kTwoRenames where the file system cannot: the old set renamed aside, then the new
// one renamed in, so for a moment there is no DIR (never a mix). The tests choose kTwoRenames to
// cover that path on any file system.
enum class SetSwap { kExchangeFirst, kTwoRenames };

class OutputSet {
  public:
    // `names`: every file a run may write to `dir`, and so every name it may replace there.
    OutputSet(std::filesystem::path dir, std::span<const std::string_view> names,
              SetSwap swap = SetSwap::kExchangeFirst);
    // A set never published is removed with its staging folder.
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    // Before a run: makes DIR's parent folders when missing and checks that a set can go to DIR
    // (a folder holding only the names, or nothing there yet; writable, in a writable parent).
    // Empty, or one line naming DIR and the reason (one foreign entry, when there is one).
    std::string prepare();

    // Removes what killed runs left beside DIR and makes this run's staging folder: empty, or the
    // message. Call before write().
    std::string begin();

    // Writes `name` (one of the names) into the staging folder, whole or not at all: empty, or a
    // message naming DIR/name as the user will know it.
    std::string write(std::string_view name, std::string_view contents);

    // Puts the staged files in DIR's place: empty, or the message (the old set then untouched).
    std::string publish();

    // After publish: a line to pass on when the old set's folder could not be removed whole.
    const std::string& notice() const { return m_notice; }

    // The files written so far, in order, under the names they have once published.
    std::vector<std::filesystem::path> files() const;

  private:
    bool owned(const std::filesystem::path& folder, const std::string& name) const;
    // The first entry of `folder` that is not ours (in name order), or empty.
    std::string foreign_entry(const std::filesystem::path& folder) const;
    // Removes our files from `folder`, then the folder: 0 or the errno.
    int remove_set(const std::filesystem::path& folder) const;
    void remove_stale_staging() const;
    std::string swap_in();
    std::string foreign_message(const std::string& entry) const;
    std::string staging_failure(int error) const;

    std::filesystem::path m_shown;    // as the user wrote it, for messages
    std::filesystem::path m_dir;      // where the set goes, links followed
    std::filesystem::path m_staging;  // empty until begin()
    std::vector<std::string> m_names;
    std::vector<std::string> m_written;
    SetSwap m_swap;
    bool m_pending = false;  // a staging folder of ours exists and has not been published
    std::string m_notice;
};

// The run that made `name` when it is one of our staging folders (`.DIR.staging-PID`, or
// `.DIR.staging-PID-old`, where the two-rename swap puts an old set), else 0.
int staging_writer(std::string_view name);

}  // namespace rl::io
