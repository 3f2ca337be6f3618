#include "sim/check/results_file.h"

#include "sim/check/baseline.h"
#include "sim/model/plugin.h"
#include "sim/scenario/parser.h"

namespace faultline {

bool expectations_from_results(const nlohmann::json& results, std::vector<Expectation>& out,
                               std::string& why) {
  const auto& scenario = results.at("scenario");
  if (!scenario.contains("text") || !scenario["text"].is_string()) {
    why =
        "results.json carries no scenario text (written by an older faultline), so its "
        "expectations are not shown";
    return false;
  }
  try {
    const Scenario s =
        parse_scenario_text(scenario["text"].get<std::string>(), scenario.value("file", "scenario"),
                            builtin_catalogues());
    out = s.expectations;
    return true;
  } catch (const ScenarioError& e) {
    why = std::string("the scenario in results.json no longer parses with this faultline: ") +
          e.what();
    return false;
  }
}

namespace {

// The verdicts of a document read with its summary (r.document, r.summary).
void judge(JudgedResults& r, const std::optional<std::string>& baseline_path) {
  Baseline baseline;
  if (baseline_path)
    baseline = load_baseline(*baseline_path, r.document["scenario"].value("name", ""));
  std::vector<Expectation> expectations;
  if (expectations_from_results(r.document, expectations, r.expectations_note) ||
      r.summary.precision.enabled) {
    EvaluateOptions eval;
    if (baseline.results)
      eval.baseline = &*baseline.results, eval.baseline_label = baseline.label;
    else if (baseline_path)
      eval.no_baseline_reason = baseline.missing_reason;
    r.evaluation = evaluate(r.summary, expectations, eval);
    r.judged = true;
  }
}

}  // namespace

JudgedResults judge_results_file(const std::string& path,
                                 const std::optional<std::string>& baseline_path) {
  JudgedResults r;
  r.document = read_results_file(path);
  r.summary = read_summary_file(path, r.document);
  judge(r, baseline_path);
  return r;
}

JudgedResults judge_results_text(const std::string& text, const std::string* runs_jsonl,
                                 const std::string& path,
                                 const std::optional<std::string>& baseline_path) {
  JudgedResults r;
  r.document = parse_results_text(text, path);
  r.summary = summary_from_results_text(r.document, runs_jsonl, path);
  judge(r, baseline_path);
  return r;
}

}  // namespace faultline
