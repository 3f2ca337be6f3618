// The summary of an experiment: per strategy and metric, the estimate over replications
// and the paired difference to the reference (first) strategy. Computed once from the run
// records; results.json, the stdout table and the report all read it.
#pragma once

#include <string>
#include <vector>

#include "sim/experiment/runner.h"
#include "sim/experiment/stats.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct StrategySummary {
  std::string name;
  std::vector<std::string> mitigations;
  std::vector<Estimate> metrics;               // indexed by Metric
  std::vector<Estimate> difference_to_reference;  // strategy - reference, paired
  // Mean over replications of each hourly series: series_mean[Series][bin].
  std::vector<std::vector<double>> series_mean;
  LatencyHistogram delivery_latency;  // merged over replications
};

struct Summary {
  int replications = 0;
  double confidence = 0.95;
  SimTime series_bin = kHour;
  std::vector<StrategySummary> strategies;
};

Summary summarise(const Scenario& s, const ExperimentResult& result);

}  // namespace faultline
