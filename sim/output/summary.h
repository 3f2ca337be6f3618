// The summary of an experiment: per sweep point, per strategy and metric, the estimate
// over replications and the paired difference to the reference strategy (the first one
// listed), plus each replication's metric values so another experiment — a `--baseline`
// — can be compared replication by replication. Computed once from the run records (or
// read back from results.json and runs.jsonl, results_json.h); the verdicts
// (sim/check/evaluate.h), results.json, results.csv and the stdout table all read it.
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

// One replication's metric values: the unit of pairing with a baseline.
struct ReplicationValues {
  int replication = 0;
  std::uint64_t run_seed = 0;
  MetricValues metrics{};
  // population.cycles > 1: the cycle metrics at the end of each cycle (runs.jsonl
  // `cycle_metrics`), so a `delta` at `cycle: K` is paired like one at the end of the run.
  std::vector<CycleMetricValues> cycle_metrics{};
};

struct StrategySummary {
  std::string name;
  std::vector<std::string> mitigations;
  std::vector<Estimate> metrics;                  // indexed by Metric
  std::vector<Estimate> difference_to_reference;  // strategy - reference, paired
  // Mean over replications of each hourly series: series_mean[Series][bin].
  std::vector<std::vector<double>> series_mean;
  LatencyHistogram delivery_latency;                            // merged over replications
  std::array<LatencyHistogram, kChannelCount> channel_latency;  // by Channel, merged likewise
  // population.cycles > 1: per cycle, the cycle metrics (kCycleMetrics order) over
  // replications and their paired difference to the reference; empty for one cycle.
  std::vector<std::vector<Estimate>> cycle_metrics;
  std::vector<std::vector<Estimate>> cycle_difference_to_reference;
  // In replication order; empty when read back from a results.json without its runs.jsonl.
  std::vector<ReplicationValues> runs;
};

struct PointSummary {
  int index = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // (path, value as written)
  std::vector<PluginUse> faults;  // this point's faults (a sweep may move their windows)
  std::vector<StrategySummary> strategies;
};

struct Summary {
  std::uint64_t seed = 0;
  int replications = 0;
  double confidence = 0.95;
  SimTime series_bin = kHour;
  std::vector<PointSummary> points;  // one without a sweep
  PrecisionOutcome precision;        // sequential sampling's outcome, from the result
};

Summary summarise(std::span<const SweepPoint> points, const ExperimentResult& result);
// The points the result ran (result.points), or `s` as the one point when it holds none.
Summary summarise(const Scenario& s, const ExperimentResult& result);

// The four metrics a summary table leads with (the CLI's table, Python's notebook
// table): the notification side, or the payment side when payments fail or are charged
// twice in any strategy (every metric is in results.json either way).
std::vector<Metric> headline_metrics(const Summary& summary);

}  // namespace faultline
