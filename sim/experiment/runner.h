// Runs an experiment: every strategy in every replication at every sweep point. A
// replication's run seed is derived from (base seed, point, replication index) by the
// stable hash, never from draw order, so any replication can be re-run alone and gives
// the same numbers, and every strategy of a replication sees the same population and
// draws (common random numbers). Sweep points share their replications' seeds (the point
// argument is 0 for all of them, docs/architecture.md): a point sees the same borrowers
// and luck as its neighbours, so curves over a sweep are smooth and a point reproduces
// the same scenario written without the sweep. Tasks (point, replication) run on a pool
// of `jobs` threads; each writes only its own slots, so the records — and everything
// computed from them — are identical for any job count.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "sim/experiment/precision_outcome.h"
#include "sim/metrics/metrics.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/sweep_grid.h"

namespace faultline {

struct RunRecord {
  int point = 0;
  int strategy = 0;
  int replication = 0;
  std::uint64_t run_seed = 0;
  MetricValues metrics{};
  std::uint64_t events = 0;
  TimeSeries series;
  LatencyHistogram delivery_latency;
  std::array<LatencyHistogram, kChannelCount> channel_latency;  // by Channel
};

enum class SeedPolicy {
  kCommon,                 // every strategy of a replication shares the run seed (always, in use)
  kIndependentStrategies,  // test only: each strategy its own seed, to measure what CRN buys
};

struct ExperimentOptions {
  int jobs = 1;
  std::optional<int> only_replication;  // run just this replication index
  // Replications [first_replication, first_replication + replication_count); the count
  // defaults to the scenario's `replications` minus the first. Sequential sampling runs
  // its rounds this way.
  int first_replication = 0;
  std::optional<int> replication_count;
  SeedPolicy seeds = SeedPolicy::kCommon;
  // Called once per finished run, from any worker thread (progress display). It must
  // not touch the results: outputs never depend on it.
  std::function<void()> on_run_done;
  // Called before each batch of runs with the total number of runs planned so far (it
  // grows between rounds of sequential sampling). Progress display only.
  std::function<void(std::size_t total_runs)> on_total;
};

struct ExperimentResult {
  // Point-major, then replication, then strategy: (p0 r0: s0, s1, ...), (p0 r1: ...), ...
  std::vector<RunRecord> records;
  std::vector<SweepPoint> points;  // the points run (one without a sweep)
  PrecisionOutcome precision;      // sequential sampling's outcome; disabled otherwise
  std::uint64_t events = 0;
  std::size_t peak_population_bytes = 0;
};

std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t point,
                               std::uint64_t replication);

// The whole experiment a scenario describes: every point of its sweep (expanded with the
// built-in plug-in catalogues) and, when it has precision targets and no
// only_replication, rounds of replications until they are met (sequential.h).
ExperimentResult run_experiment(const Scenario& scenario, const ExperimentOptions& options);
// The given points at a fixed set of replications (the building block of the above).
ExperimentResult run_experiment(std::span<const SweepPoint> points,
                                const ExperimentOptions& options);

// Appends `more` to `into` keeping the point-major order (sequential sampling's rounds).
void merge_results(ExperimentResult& into, ExperimentResult&& more, std::size_t points);

}  // namespace faultline
