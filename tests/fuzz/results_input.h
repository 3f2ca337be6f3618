// The input of the fuzz targets that read a results.json (fuzz_results, fuzz_report): the
// results.json text, optionally followed by a NUL byte and the runs.jsonl text (JSON text
// holds no raw NUL), so one corpus serves both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace faultline::fuzz {

struct ResultsInput {
  std::string results;
  std::optional<std::string> runs;  // the runs.jsonl beside it, if the input has one
  const std::string* runs_or_null() const { return runs ? &*runs : nullptr; }
};

inline ResultsInput split_results_input(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  ResultsInput out;
  out.results = input.substr(0, nul);
  if (nul != std::string::npos) out.runs = input.substr(nul + 1);
  return out;
}

}  // namespace faultline::fuzz
