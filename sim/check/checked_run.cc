#include "sim/check/checked_run.h"

#include <ostream>

#include "sim/output/results_json.h"

namespace faultline {

ProducedRun produce_results(const Scenario& s, const ExperimentOptions& options,
                            const std::string& reproduce) {
  ProducedRun p;
  p.result = run_experiment(s, options);
  p.summary = summarise(s, p.result);
  p.results_text = results_json(s, p.summary, reproduce);
  return p;
}

namespace {

void replace_replications(std::string& reproduce, int from_count, int to_count) {
  const std::string from = " --replications " + std::to_string(from_count);
  for (auto at = reproduce.find(from); at != std::string::npos; at = reproduce.find(from, at + 1)) {
    const std::size_t end = at + from.size();
    if (end < reproduce.size() && reproduce[end] != ' ') continue;  // " --replications 20" ≠ "2"
    reproduce.replace(at, from.size(), " --replications " + std::to_string(to_count));
    return;
  }
}

}  // namespace

CheckedRun run_checked(Scenario& s, const Producer& produce, bool extend, std::string& reproduce,
                       const EvaluateOptions& evaluate_options, std::ostream& log) {
  CheckedRun checked;
  for (;;) {
    checked.replications.push_back(s.replications);
    checked.run = produce(s, reproduce);
    checked.results = nlohmann::json::parse(checked.run.results_text);
    checked.evaluation = evaluate(checked.results, s.expectations, evaluate_options);
    // The count actually run (sequential sampling may have stopped elsewhere).
    const int current = checked.results.value("replications", s.replications);
    const int next = extend ? extension_target(checked.evaluation, current) : 0;
    if (next <= current) break;
    log << "faultline: " << s.name << ": " << checked.evaluation.count(Verdict::kInconclusive)
        << " inconclusive expectation(s) with `inconclusive: extend`; re-running with " << next
        << " replications\n";
    replace_replications(reproduce, s.replications, next);
    s.replications = next;
  }
  return checked;
}

}  // namespace faultline
