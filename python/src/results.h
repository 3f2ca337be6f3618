// What Python's Results is made of: results.json and runs.jsonl as the library writes them
// (the CLI's bytes), and the typed Summary and verdicts behind them — from a run
// (experiment.cc) or read back from a results.json file like `faultline report` does.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "python/src/bindings.h"
#include "sim/check/evaluate.h"
#include "sim/output/summary.h"
#include "sim/pipeline/experiment.h"
#include "sim/scenario/scenario.h"

namespace faultline::python {

struct ResultsHandle {
  std::string json;                    // results.json
  std::optional<std::string> runs;     // runs.jsonl (absent beside an old results.json)
  std::shared_ptr<Scenario> scenario;  // the scenario that ran; null when loaded
  Summary summary;
  Evaluation evaluation;
  bool judged = true;             // false: expectations could not be read back (why: note)
  std::string expectations_note;  // shown by the report when they were not judged
  std::string reproduce;
  std::vector<int> rounds;
  std::string source;  // the results.json path when loaded from a file
};

// Serialises a finished run once, the way `faultline run` does (no GIL needed).
std::shared_ptr<ResultsHandle> results_of_run(const Experiment& experiment, Results&& results);

}  // namespace faultline::python
