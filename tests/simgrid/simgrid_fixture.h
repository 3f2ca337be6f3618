// Helpers for the SimGrid engine tests: scenarios from text or from scenarios/, a copy
// with another engine or fewer borrowers, and per-strategy estimates over replications.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/experiment/runner.h"
#include "sim/experiment/stats.h"
#include "sim/model/plugin.h"
#include "sim/scenario/parser.h"

namespace faultline::testing {

inline Scenario parse_text(const std::string& text) {
  return parse_scenario_text(text, "test.yaml", builtin_catalogues());
}

inline std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The text with the first occurrence of `from` replaced by `to` (test copies of
// scenarios: fewer borrowers, another engine).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

inline ExperimentResult run(const Scenario& s, int jobs = 2) {
  RunControl o;
  o.jobs = jobs;
  return run_experiment(s, o);
}

// The metric's estimate over replications for one strategy.
inline Estimate metric_estimate(const Scenario& s, const ExperimentResult& r, int strategy,
                                Metric m) {
  std::vector<double> values;
  for (const RunRecord& rec : r.records)
    if (rec.strategy == strategy) values.push_back(rec.metrics[static_cast<std::size_t>(m)]);
  return estimate(values, s.confidence);
}

}  // namespace faultline::testing
