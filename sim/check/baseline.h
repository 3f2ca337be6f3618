// The baseline for `delta` expectations: a results.json from an earlier run (typically
// the main branch's last CI run), read into a Summary together with the runs.jsonl
// beside it when there is one (then deltas are paired replication by replication,
// sim/check/evaluate.h). `--baseline` names a file, or a folder laid out as `faultline
// check --out` writes it (<folder>/<scenario>/results.json), so one flag serves a check
// of many scenarios. A baseline for another scenario, or none in the folder, is not an
// error: its `delta` expectations are SKIPPED with the reason. A file that is not a
// faultline results.json (or a runs.jsonl that does not belong to it) is bad input.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sim/output/summary.h"

namespace faultline {

struct Baseline {
  std::optional<Summary> results;  // with per-replication values when runs.jsonl was there
  std::string label;               // the file used, for notes
  std::string missing_reason;      // why there is none, when results is empty
};

// Reads and checks a faultline results.json (schema, scenario, points). Throws
// ScenarioError naming the path when it cannot be read or is not one.
nlohmann::json read_results_file(const std::string& path);
// The same checks on a results.json's text; `path` names it in errors.
nlohmann::json parse_results_text(const std::string& text, const std::string& path);

// A results.json file as a Summary, with the runs.jsonl beside it when it exists (and
// `with_runs`). Throws ScenarioError naming the file at fault.
Summary read_summary_file(const std::string& path, const nlohmann::json& results,
                          bool with_runs = true);
// The same on texts already read: `runs_jsonl` (or nullptr) is the runs.jsonl beside
// `path`. The fuzz target of the results reader (tests/fuzz/fuzz_results.cc) enters here.
Summary summary_from_results_text(const nlohmann::json& results, const std::string* runs_jsonl,
                                  const std::string& path);

// Throws ScenarioError (the path) when the file exists but is not a faultline
// results.json, or its runs.jsonl is malformed.
Baseline load_baseline(const std::string& path, const std::string& scenario_name);

// The folder name a scenario's outputs go to: its name with anything but [A-Za-z0-9._-]
// replaced by '_' (the same rule as `faultline run`'s default out/<scenario>).
std::string output_folder_name(const std::string& scenario_name);

}  // namespace faultline
