// Whole faultline scenarios through the library (parse → population → World runs of every
// strategy → metrics), without the CLI's output writing: issue 7's reference workload as a
// scenario (tests/bench/reference-scenario.yaml, to set against BM_ReferenceLoop in the
// same suite run) and the flagship incident scenario at 1e6 borrowers over 35 days.
//
// Counters: events (per run), events_per_s, bytes_per_borrower (peak RSS delta of one
// run / borrowers; method and limits in peak_memory.h), paid (reference only).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "sim/experiment/runner.h"
#include "sim/model/plugin.h"
#include "sim/scenario/parser.h"
#include "tests/bench/peak_memory.h"

namespace faultline::bench {
namespace {

Scenario load(const std::string& relative, std::uint32_t borrowers) {
  Scenario s =
      parse_scenario_file(std::string(FAULTLINE_SOURCE_DIR) + "/" + relative, builtin_catalogues());
  s.population.borrowers = borrowers;
  s.horizon = 35 * kDay;  // issue 7: a 35-day horizon
  s.replications = 1;
  s.expectations.clear();
  return s;
}

// One replication of `s` (every strategy), timed, with its peak memory.
void run_scenario(benchmark::State& state, const Scenario& s) {
  RunControl options;
  options.jobs = 1;
  ExperimentResult result;
  std::int64_t peak_delta_bytes_max = 0;
  bool reset_ok = true;
  for (auto _ : state) {
    state.PauseTiming();
    PeakRssProbe probe;
    probe.start();
    state.ResumeTiming();

    result = run_experiment(s, options);
    benchmark::DoNotOptimize(result);

    state.PauseTiming();
    peak_delta_bytes_max = std::max(peak_delta_bytes_max, probe.peak_delta_bytes());
    reset_ok = reset_ok && probe.reset_ok();
    state.ResumeTiming();
  }
  const double events = static_cast<double>(result.events);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(result.events));
  state.counters["events"] = events;
  state.counters["events_per_s"] = benchmark::Counter(
      events * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes_per_borrower"] =
      static_cast<double>(peak_delta_bytes_max) / static_cast<double>(s.population.borrowers);
  state.counters["strategies"] = static_cast<double>(s.strategies.size());
  const auto paid = find_metric("paid_on_time");
  const auto late = find_metric("paid_late");
  if (paid != nullptr && late != nullptr && !result.records.empty()) {
    const MetricValues& m = result.records.front().metrics;
    state.counters["paid"] =
        m[static_cast<std::size_t>(paid->id)] + m[static_cast<std::size_t>(late->id)];
  }
  state.counters["rss_reset_ok"] = reset_ok ? 1 : 0;
}

void BM_ReferenceScenario(benchmark::State& state) {
  const Scenario s =
      load("tests/bench/reference-scenario.yaml", static_cast<std::uint32_t>(state.range(0)));
  run_scenario(state, s);
}

void BM_FlagshipScenario(benchmark::State& state) {
  const Scenario s =
      load("scenarios/flagship-vendor-outage.yaml", static_cast<std::uint32_t>(state.range(0)));
  run_scenario(state, s);
}

BENCHMARK(BM_ReferenceScenario)
    ->Arg(100'000)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceScenario)
    ->Arg(1'000'000)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceScenario)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FlagshipScenario)
    ->Arg(1'000'000)
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace faultline::bench

BENCHMARK_MAIN();
