// A finished experiment's outputs — results.json, runs.jsonl, results.csv and the HTML
// report — written as one set, and what stdout shows of them (the summary table and the
// verdicts). `faultline run` and `faultline merge` both go through here, so a merge of
// shards writes exactly the bytes a single run writes.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "sim/pipeline/experiment.h"

namespace faultline::cli {

class Terminal;

struct OutputPaths {
  std::filesystem::path out_dir;      // results.json, runs.jsonl, results.csv
  std::optional<std::string> report;  // the HTML report
};

// Before anything runs: every path writable (OutputError otherwise).
void check_output_paths(const OutputPaths& paths);
// Every file's path and content; write_files_atomically writes them as one set
// (temporaries first, renamed last).
std::vector<std::pair<std::filesystem::path, std::string>> render_outputs(const Experiment& e,
                                                                          const Results& r,
                                                                          const OutputPaths& paths);
// The summary table, the results path, the verdicts (in colour when `term` says so) and
// the report path.
void print_outputs(const Experiment& e, const Results& r, const OutputPaths& paths,
                   std::ostream& out, const Terminal* term = nullptr);

}  // namespace faultline::cli
