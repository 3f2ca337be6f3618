// Reading a user's input file (a scenario, a results.json, a runs.jsonl, a delivery log)
// with the limits that keep a careless or hostile file from costing more than a clear
// error: the path must be a readable regular file (a folder or a device is named as
// such), no bigger than a size limit (read at most limit + 1 bytes, so /dev/zero or a
// FIFO stops there too), and valid UTF-8 (the first bad byte is reported at its
// file:line:col — JSON output cannot carry it, and it would otherwise fail only after
// the whole simulation). YAML's structure is bounded separately (sim/scenario/limits.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/error.h"

namespace faultline {

// The default size limits; FAULTLINE_MAX_INPUT_MB (a whole number of MiB, 1 to 4096)
// overrides both (docs/reliability.md).
inline constexpr std::size_t kMaxScenarioBytes = 4u << 20;   // 4 MiB: scenarios are ~10 KB
inline constexpr std::size_t kMaxResultsBytes = 256u << 20;  // results.json, runs.jsonl, logs

// The limit in force for inputs whose default is `default_bytes`; throws ScenarioError
// (naming the variable) when FAULTLINE_MAX_INPUT_MB is set to something else than 1..4096.
std::size_t input_limit(std::size_t default_bytes);

// The whole file, or ScenarioError(path, ...) saying why not. `what` names the kind of
// file in messages ("scenario file", "results file").
std::string read_input_file(const std::string& path, std::string_view what,
                            std::size_t default_limit_bytes);

// The location (1-based line and column, in characters) of the first byte that is not
// part of valid UTF-8 (overlong forms, surrogates and code points above U+10FFFF are
// invalid too), or nullopt when the whole text is valid.
struct Utf8Error {
  std::size_t offset = 0;
  SourceLoc loc;
  unsigned char byte = 0;
};
std::optional<Utf8Error> find_invalid_utf8(std::string_view text);

// Throws ScenarioError(file, loc, ...) at the first invalid byte.
void require_utf8(std::string_view text, const std::string& file);

}  // namespace faultline
