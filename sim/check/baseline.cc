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
  return parse_results_text(read_input_file(path, "results file", kMaxResultsBytes), path);
}

nlohmann::json parse_results_text(const std::string& text, const std::string& path) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ScenarioError(
        path, {}, std::string("not valid JSON; expected a faultline results.json: ") + e.what());
  }
  // Compared, not read with value(): a "schema" of another type is not a results.json
  // either, not a type_error (exit 3; found by tests/fuzz/fuzz_results.cc).
  if (!j.is_object() || !j.contains("schema") || j["schema"] != kResultsSchema ||
      !j.contains("points") || !j.contains("scenario"))
    throw ScenarioError(path, {},
                        std::string("not a faultline results.json (expected \"schema\": \"") +
                            kResultsSchema + "\" with scenario and points)");
  // Readers take the scenario's name, file and text with value(…, default), which throws
  // on a present key of another type: check their types once, here.
  const nlohmann::json& scenario = j["scenario"];
  bool ok = scenario.is_object();
  for (const char* key : {"name", "file", "text"})
    ok = ok && (!scenario.contains(key) || scenario[key].is_string());
  if (!ok)
    throw ScenarioError(path, {},
                        "\"scenario\" is not an object with string name, file and text; "
                        "expected the results.json faultline run or check wrote");
  return j;
}

std::string runs_path_beside(const std::string& path) {
  return (std::filesystem::path(path).parent_path() / "runs.jsonl").string();
}

Summary read_summary_file(const std::string& path, const nlohmann::json& results, bool with_runs) {
  const std::string runs_path = runs_path_beside(path);
  std::optional<std::string> runs;
  if (with_runs && std::filesystem::is_regular_file(runs_path)) {
    runs = read_input_file(runs_path, "runs file", kMaxResultsBytes);
  }
  return summary_from_results_text(results, runs ? &*runs : nullptr, path);
}

Summary summary_from_results_text(const nlohmann::json& results, const std::string* runs_jsonl,
                                  const std::string& path) {
  try {
    return summary_from_results(results, runs_jsonl);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    throw ScenarioError(what.rfind("runs.jsonl", 0) == 0 ? runs_path_beside(path) : path, {},
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
