// results.json: the versioned, documented record of an experiment (docs/results-schema.md).
// It holds no wall-clock time, host name or thread count, so the same scenario, seed and
// binary give byte-identical files. runs.jsonl holds one line per (point, strategy,
// replication).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sim/experiment/runner.h"
#include "sim/output/summary.h"
#include "sim/scenario/scenario.h"

namespace faultline {

inline constexpr const char* kResultsSchema = "faultline-results/1";

std::string results_json(const Scenario& s, const Summary& summary, const std::string& reproduce);
std::string runs_jsonl(const Scenario& s, const ExperimentResult& result);

// A results.json document read back into a Summary — what `faultline report` judges and
// what a `--baseline` is compared with — with each replication's values from its
// runs.jsonl when `runs_jsonl` is given. The estimates, strategies, points and precision
// outcome are read; series and latency histograms are not (the report reads those from
// the document itself). A metric the document lacks (written by another faultline) is an
// Estimate with n = 0 and a NaN mean. Throws std::invalid_argument saying what is missing
// or malformed (runs.jsonl: with its line number).
Summary summary_from_results(const nlohmann::json& results, const std::string* runs_jsonl);

}  // namespace faultline
