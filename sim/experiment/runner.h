// Runs the work units of an experiment. A work unit is one replication at one sweep
// point: it builds that replication's population once and runs every strategy on it
// (common random numbers), producing one RunRecord per strategy. A unit's run seed is
// derived from (base seed, point, replication) by the stable hash, never from draw order
// or from which units run with it, so any subset of units can run anywhere — a thread, a
// shard, another process — and gives the same records; `assemble` puts any complete set
// back in the one canonical order. Sweep points share their replications' seeds (the
// point argument is 0 for all of them, docs/architecture.md): a point sees the same
// borrowers and luck as its neighbours, so curves over a sweep are smooth and a point
// reproduces the same scenario written without the sweep.
//
// Units run on a pool of `jobs` threads; each writes only its own result, so records —
// and everything computed from them — are identical for any job count. How many
// replications an experiment needs (sequential precision, `inconclusive: extend`) is
// decided above this, by the pipeline (sim/pipeline/experiment.h).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
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
  // population.cycles > 1: the cycle metrics (kCycleMetrics) at every cycle; else empty.
  std::vector<CycleMetricValues> cycle_metrics;
};

// One replication at one sweep point, with the seed its runs use.
struct WorkUnit {
  int point = 0;  // index into the experiment's points
  int replication = 0;
  std::uint64_t run_seed = 0;

  friend bool operator==(const WorkUnit&, const WorkUnit&) = default;
};

struct UnitResult {
  WorkUnit unit;
  std::vector<RunRecord> runs;  // one per strategy, in the scenario's order
  std::uint64_t events = 0;
  std::size_t population_bytes = 0;
};

enum class SeedPolicy {
  kCommon,                 // every strategy of a replication shares the run seed (always, in use)
  kIndependentStrategies,  // test only: each strategy its own seed, to measure what CRN buys
};

// How units run; nothing here changes a number.
struct RunControl {
  int jobs = 1;
  bool engine_log = false;  // the SimGrid engine's own log messages (`--verbose`)
  SeedPolicy seeds = SeedPolicy::kCommon;
  // Called after every finished run (a strategy of a unit), never concurrently, with the
  // runs finished so far in this call. Progress display only: outputs never depend on it.
  std::function<void(std::size_t runs_done)> on_run_done;
  // Checked between runs: once it reads true, no further run starts and run_units throws
  // Cancelled (Ctrl-C in the CLI, KeyboardInterrupt in Python).
  const std::atomic<bool>* cancel = nullptr;
};

// Thrown by run_units when RunControl::cancel was set; nothing was produced.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled before the experiment finished") {}
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

// The units of replications [first, end) at every point, in the canonical order:
// point-major, then replication.
std::vector<WorkUnit> work_units(std::span<const SweepPoint> points, int first, int end);

// One unit, on the calling thread. Throws what a run throws (RunLimitError, ...).
UnitResult run_unit(const SweepPoint& point, const WorkUnit& unit, const RunControl& control);

// The given units on control.jobs threads; results in the order of `units`. The first
// error a run throws is rethrown here after every worker stopped; Cancelled when
// control.cancel was set.
std::vector<UnitResult> run_units(std::span<const SweepPoint> points,
                                  std::span<const WorkUnit> units, const RunControl& control);

// Adds unit results to `into` (which may already hold earlier replications), keeping the
// canonical order. Every point must end up with the same replications.
void assemble(ExperimentResult& into, std::vector<UnitResult>&& units, std::size_t points);

// A fixed-size experiment without the pipeline's loop: replications [first, end) (end
// defaults to the scenario's `replications`) at every point of the scenario's sweep.
// Sequential precision and `expect:` are the pipeline's; tests and benchmarks use this.
ExperimentResult run_experiment(const Scenario& scenario, const RunControl& control, int first = 0,
                                int end = -1);

}  // namespace faultline
