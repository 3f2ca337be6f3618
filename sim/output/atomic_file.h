// Writes a whole file or nothing: the content goes to a temporary file in the same
// folder, is flushed to disk, then renamed over the target. An interrupted run never
// leaves a half-written results file or report behind; a set of files (results.json,
// runs.jsonl, results.csv, the report) is written temporaries first and renamed last, so
// it is never mixed from two runs unless the process dies between two renames.
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
void write_files_atomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files);

// Whether a file could be written at `path` — checked before an experiment runs, so a
// mistyped --out or --report fails in a second, not after the simulation. Creates
// nothing. Throws OutputError with the path and the reason: a folder on the way is a
// file, the nearest existing folder is not writable, or the path is a folder.
void check_writable(const std::filesystem::path& path);

}  // namespace faultline
