// results.json: the versioned, documented record of an experiment (docs/results-schema.md).
// It holds no wall-clock time, host name or thread count, so the same scenario, seed and
// binary give byte-identical files. runs.jsonl holds one line per (point, strategy,
// replication).
#pragma once

#include <string>

#include "sim/experiment/runner.h"
#include "sim/output/summary.h"
#include "sim/scenario/scenario.h"

namespace faultline {

inline constexpr const char* kResultsSchema = "faultline-results/1";

std::string results_json(const Scenario& s, const Summary& summary, const std::string& reproduce);
std::string runs_jsonl(const Scenario& s, const ExperimentResult& result);

}  // namespace faultline
