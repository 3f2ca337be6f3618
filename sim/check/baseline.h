// The baseline for `delta` expectations: a results.json from an earlier run (typically
// the main branch's last CI run). `--baseline` names a file, or a folder laid out as
// `faultline check --out` writes it (<folder>/<scenario>/results.json), so one flag serves
// a check of many scenarios. A baseline for another scenario, or none in the folder, is
// not an error: its `delta` expectations are SKIPPED with the reason.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace faultline {

struct Baseline {
  std::optional<nlohmann::json> results;
  std::string label;           // the file used, for notes
  std::string missing_reason;  // why there is none, when results is empty
};

// Reads and checks a faultline results.json (schema, scenario, points). Throws
// ScenarioError naming the path when it cannot be read or is not one.
nlohmann::json read_results_file(const std::string& path);

// Throws ScenarioError (the path) when the file exists but is not a faultline results.json.
Baseline load_baseline(const std::string& path, const std::string& scenario_name);

// The folder name a scenario's outputs go to: its name with anything but [A-Za-z0-9._-]
// replaced by '_' (the same rule as `faultline run`'s default out/<scenario>).
std::string output_folder_name(const std::string& scenario_name);

}  // namespace faultline
