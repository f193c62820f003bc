#pragma once

#include <filesystem>
#include <string>
#include <string_view>

// Every file the program saves (exports, sessions, settings) goes through these two functions, so
// that a failed or killed writer never leaves a partial file under any name. The new contents are
// written into an unnamed file in the target's folder (O_TMPFILE: it vanishes with the process),
// flushed, and only then given a name. File systems without unnamed files get a named temporary
// `.NAME.tmp-PID-N` instead; one left by a killed writer is removed by the next write in that
// folder.
namespace rl::io {

// How the new contents wait for their name. kNamedTemporary is what file systems without
// O_TMPFILE get; the tests choose it to cover that path on any file system.
enum class Staging { kUnnamedFirst, kNamedTemporary };

// Writes `contents` to `path` so that readers see either the old file or the whole new one, never
// a half-written file. Only a regular file is replaced: a folder, FIFO, socket or device at
// `path` is refused ("PATH: not a regular file (a FIFO); not replaced"). A symlink is written
// through: the file at the end of its chain is replaced, in that file's folder, and the links
// stay; a dangling link gets the file it names created. Returns an empty string on success,
// otherwise a message naming the path and the system's reason.
std::string write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                                  Staging staging = Staging::kUnnamedFirst);

struct NewFileResult {
    std::filesystem::path path;  // the name the file got; empty on failure
    std::string error;           // empty on success
};

// Writes `contents` under `wanted`, or under stem-2.ext, stem-3.ext, ... when that name is taken:
// an existing file is never replaced, not even by a race with another writer. Any entry counts
// as taken (a link, dangling or not, a FIFO, a folder), so nothing is written through a link. The
// whole file appears at once; on failure nothing is left behind and the message names the path and
// the system's reason.
NewFileResult write_new_file(const std::filesystem::path& wanted, std::string_view contents,
                             Staging staging = Staging::kUnnamedFirst);

// Whether a file can be created in `folder` now, tried without leaving anything there (an unnamed
// file, or a temporary removed at once): empty, or a message naming the folder and the reason. A
// long run checks its output folder first rather than fail at its end.
std::string check_folder_writable(const std::filesystem::path& folder);

// The writer of `name` when it is one of our named temporaries (`.NAME.tmp-PID-N`), else 0.
int temporary_writer(const std::string& name);

}  // namespace rl::io
