#include "sim/cli/results_output.h"

#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "sim/cli/table.h"
#include "sim/cli/terminal.h"
#include "sim/cli/verdict_output.h"
#include "sim/output/atomic_file.h"
#include "sim/output/results_csv.h"
#include "sim/output/results_json.h"

namespace faultline::cli {

void check_output_paths(const OutputPaths& paths) {
  for (const char* name : {"results.json", "runs.jsonl", "results.csv"})
    check_writable(paths.out_dir / name);
  if (paths.report) check_writable(*paths.report);
}

std::vector<std::pair<std::filesystem::path, std::string>> render_outputs(
    const Experiment& e, const Results& r, const OutputPaths& paths) {
  const Scenario& s = e.scenario();
  const std::string results_text = results_json(s, r.summary, r.reproduce);
  std::vector<std::pair<std::filesystem::path, std::string>> files = {
      {paths.out_dir / "results.json", results_text},
      {paths.out_dir / "runs.jsonl", runs_jsonl(s, r.experiment)},
      {paths.out_dir / "results.csv", results_csv(s, r.summary)}};
  if (paths.report) {
    // Rendered from the results.json document, like `faultline report` (same page).
    const report::ReportOptions report_options{&r.evaluation, ""};
    files.emplace_back(*paths.report,
                       report::render_report(nlohmann::json::parse(results_text), report_options));
  }
  return files;
}

void print_outputs(const Experiment& e, const Results& r, const OutputPaths& paths,
                   std::ostream& out, const Terminal* term) {
  const Scenario& s = e.scenario();
  out << summary_table(s, r.summary);
  out << "results: " << (paths.out_dir / "results.json").string() << "\n";
  const std::string verdicts = verdict_table(s.file, r.evaluation, s.confidence);
  out << (term != nullptr ? term->paint(verdicts) : verdicts);
  if (paths.report) out << "report: " << *paths.report << "\n";
}

}  // namespace faultline::cli
