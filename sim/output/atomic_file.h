// Writes a whole file or nothing: the content goes to a temporary file in the same
// folder, is flushed to disk, then renamed over the target. An interrupted run never
// leaves a half-written results file or report behind. A set of files (results.json,
// runs.jsonl, results.csv, the report) is one generation: written whole into a hidden
// folder beside them, then made visible by one rename (the names are links into it; see
// write_files_atomically), so it is never mixed from two runs, even when the process is
// killed outright in the middle.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline {

// An output path that cannot be written: the path and the reason (exit code 2).
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws OutputError naming the path and the OS error on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);
// Two files or more (one is renamed into place as write_file_atomically does, so a
// lone shard file stays a plain file): the set as one generation per folder: F/NAME is a link to
// F/.faultline-outputs/current/NAME, and `current` (a link to the generation's folder) is
// renamed once all of it is on disk. Plain files already at those names (an older
// faultline, `report -o`) are taken into the scheme without ever showing a mix.
void write_files_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files);
// Tests only: called with 1, 2, ... after each durable step of write_files_atomically
// (a file of the generation, a link made, a rename), so a test can kill the process
// there. nullptr removes it.
void set_output_step_hook(void (*hook)(int step));

// Whether a file could be written at `path` — checked before an experiment runs, so a
// mistyped --out or --report fails in a second, not after the simulation. Creates
// nothing. Throws OutputError with the path and the reason: a folder on the way is a
// file, the nearest existing folder is not writable, or the path is a folder.
void check_writable(const std::filesystem::path& path);

}  // namespace faultline
