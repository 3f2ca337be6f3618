// Runs an experiment: every strategy in every replication. A replication's run seed is
// derived from (base seed, point, replication index) by the stable hash, never from
// draw order, so any replication can be re-run alone and gives the same numbers, and
// every strategy of a replication sees the same population and draws (common random
// numbers). Replications run on a pool of `jobs` threads; each writes only its own slots,
// so the records — and everything computed from them — are identical for any job count.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/metrics/metrics.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct RunRecord {
  int strategy = 0;
  int replication = 0;
  std::uint64_t run_seed = 0;
  MetricValues metrics{};
  std::uint64_t events = 0;
  TimeSeries series;
  LatencyHistogram delivery_latency;
};

struct ExperimentOptions {
  int jobs = 1;
  std::optional<int> only_replication;  // run just this replication index
};

struct ExperimentResult {
  std::vector<RunRecord> records;  // replication-major: (rep 0: s0, s1, ...), (rep 1: ...)
  std::uint64_t events = 0;
  std::size_t peak_population_bytes = 0;
};

std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t point, std::uint64_t replication);

ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options);

}  // namespace faultline
