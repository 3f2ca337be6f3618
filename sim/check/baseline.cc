#include "sim/check/baseline.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "sim/output/results_json.h"
#include "sim/scenario/error.h"
#include "sim/scenario/input_file.h"
#include "sim/util/sha256.h"

namespace faultline {

std::string output_folder_name(const std::string& name) {
  std::string out;
  for (const char c : name)
    out +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  if (out.empty()) return "scenario";
  // A file name is at most 255 bytes: a longer name keeps its first 100 characters and a
  // hash of the whole, so two long names still get two folders.
  if (out.size() > 100) out = out.substr(0, 100) + "-" + sha256_hex(name).substr(0, 12);
  return out;
}

nlohmann::json read_results_file(const std::string& path) {
  const std::string text = read_input_file(path, "results file", kMaxResultsBytes);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ScenarioError(
        path, {}, std::string("not valid JSON; expected a faultline results.json: ") + e.what());
  }
  if (!j.is_object() || j.value("schema", "") != kResultsSchema || !j.contains("points") ||
      !j.contains("scenario"))
    throw ScenarioError(path, {},
                        std::string("not a faultline results.json (expected \"schema\": \"") +
                            kResultsSchema + "\" with scenario and points)");
  return j;
}

Summary read_summary_file(const std::string& path, const nlohmann::json& results, bool with_runs) {
  namespace fs = std::filesystem;
  const fs::path runs_path = fs::path(path).parent_path() / "runs.jsonl";
  std::optional<std::string> runs;
  if (with_runs && fs::is_regular_file(runs_path)) {
    runs = read_input_file(runs_path.string(), "runs file", kMaxResultsBytes);
  }
  try {
    return summary_from_results(results, runs ? &*runs : nullptr);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    throw ScenarioError(what.rfind("runs.jsonl", 0) == 0 ? runs_path.string() : path, {},
                        what + "; expected the files faultline run or check wrote");
  }
}

Baseline load_baseline(const std::string& path, const std::string& scenario_name) {
  namespace fs = std::filesystem;
  Baseline b;
  fs::path file = path;
  if (fs::is_directory(file)) {
    file = file / output_folder_name(scenario_name) / "results.json";
    if (!fs::exists(file)) {
      b.missing_reason = "no baseline for this scenario (" + file.string() + " does not exist)";
      return b;
    }
  }
  nlohmann::json j = read_results_file(file.string());
  b.label = file.string();
  const std::string name = j["scenario"].value("name", "");
  if (name != scenario_name) {
    b.missing_reason = "the baseline " + file.string() + " is for scenario '" + name + "', not '" +
                       scenario_name + "'";
    return b;
  }
  b.results = read_summary_file(file.string(), j);
  return b;
}

}  // namespace faultline
