// Writes a whole file or nothing: the content goes to a temporary file in the same
// folder, is flushed to disk, then renamed over the target. An interrupted run never
// leaves a half-written results file or report behind.
#pragma once

#include <filesystem>
#include <string_view>

namespace faultline {

// Throws std::runtime_error naming the path and the OS error on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace faultline
