// Runs a scenario and judges its expectations: the one loop behind `faultline run` and
// `faultline check`, so both reach the same results.json and the same verdicts.
//
// `inconclusive: extend` re-runs the experiment with twice the replications (up to the
// entry's max_replications) while such an entry is INCONCLUSIVE. Replication seeds
// depend on (seed, point, index) and not on the count, so the larger run contains the
// smaller one, and the chain N → 2N → … stops at the same count whichever link it starts
// from: the `reproduce` command (updated to the final count) gives the same numbers.
//
// How an experiment becomes results.json (sweep points, sequential sampling) is the
// caller's Producer, so this loop does not duplicate it; produce_results() is the
// standard one both commands use.
#pragma once

#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/check/evaluate.h"
#include "sim/experiment/runner.h"
#include "sim/output/summary.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct ProducedRun {
  ExperimentResult result;
  Summary summary;
  std::string results_text;  // results.json as it will be written
};

// Runs `s` (at s.replications) and renders results.json with `reproduce` in it.
using Producer = std::function<ProducedRun(const Scenario& s, const std::string& reproduce)>;

// The standard producer: run_experiment, summarise, results_json.
ProducedRun produce_results(const Scenario& s, const ExperimentOptions& options,
                            const std::string& reproduce);

struct CheckedRun {
  ProducedRun run;
  nlohmann::json results;  // run.results_text, parsed (what verdicts and the report read)
  Evaluation evaluation;
  std::vector<int> replications;  // counts run, in order: {20} or {20, 40, 80}
};

// `s.replications` ends at the final count and `reproduce` (which holds
// " --replications N") is updated to match. `extend` = false runs once (e.g. for
// --only-replication, which reproduces a record rather than an experiment).
CheckedRun run_checked(Scenario& s, const Producer& produce, bool extend, std::string& reproduce,
                       const EvaluateOptions& evaluate_options, std::ostream& log);

}  // namespace faultline
