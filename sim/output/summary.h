// The summary of an experiment: per sweep point, per strategy and metric, the estimate
// over replications and the paired difference to the reference (first) strategy.
// Computed once from the run records; results.json, results.csv and the stdout table all
// read it.
#pragma once

#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/experiment/runner.h"
#include "sim/experiment/stats.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/sweep_grid.h"

namespace faultline {

struct StrategySummary {
  std::string name;
  std::vector<std::string> mitigations;
  std::vector<Estimate> metrics;                  // indexed by Metric
  std::vector<Estimate> difference_to_reference;  // strategy - reference, paired
  // Mean over replications of each hourly series: series_mean[Series][bin].
  std::vector<std::vector<double>> series_mean;
  LatencyHistogram delivery_latency;                            // merged over replications
  std::array<LatencyHistogram, kChannelCount> channel_latency;  // by Channel, merged likewise
};

struct PointSummary {
  int index = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // (path, value as written)
  std::vector<PluginUse> faults;  // this point's faults (a sweep may move their windows)
  std::vector<StrategySummary> strategies;
};

struct Summary {
  int replications = 0;
  double confidence = 0.95;
  SimTime series_bin = kHour;
  std::vector<PointSummary> points;  // one without a sweep
  PrecisionOutcome precision;        // sequential sampling's outcome, from the result
};

Summary summarise(std::span<const SweepPoint> points, const ExperimentResult& result);
// The points the result ran (result.points), or `s` as the one point when it holds none.
Summary summarise(const Scenario& s, const ExperimentResult& result);

}  // namespace faultline
