// The hand-written baseline of issue 7's reference workload ("reminder fan-out": 1e6
// borrowers, one SMS vendor at 500/s, 90% pay after ~6 h), timed in wall-clock time with
// its peak memory. The faultline scenario of the same workload is measured against these
// figures on the same machine in the same suite run; 1e5 and 1e7 show how cost grows.
//
// Counters: events (per run), events_per_s, bytes_per_borrower (peak RSS delta over one
// run / borrowers; method and limits in peak_memory.h), paid, delivered.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>

#include "tests/bench/peak_memory.h"
#include "tests/bench/reference_workload.h"

namespace faultline::bench {
namespace {

void BM_ReferenceLoop(benchmark::State& state) {
  ReferenceConfig config;
  config.borrowers = static_cast<std::uint64_t>(state.range(0));
  ReferenceResult result;
  std::int64_t peak_delta_bytes_max = 0;
  bool reset_ok = true;
  for (auto _ : state) {
    // The probe reads /proc: keep it out of the timed region.
    state.PauseTiming();
    PeakRssProbe probe;
    probe.start();
    state.ResumeTiming();

    result = run_reference_workload(config);
    benchmark::DoNotOptimize(result);

    state.PauseTiming();
    peak_delta_bytes_max = std::max(peak_delta_bytes_max, probe.peak_delta_bytes());
    reset_ok = reset_ok && probe.reset_ok();
    state.ResumeTiming();
  }
  const double events = static_cast<double>(result.events);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * result.events));
  state.counters["events"] = events;
  state.counters["events_per_s"] = benchmark::Counter(
      events * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes_per_borrower"] =
      static_cast<double>(peak_delta_bytes_max) / static_cast<double>(config.borrowers);
  state.counters["paid"] = static_cast<double>(result.paid);
  state.counters["delivered"] = static_cast<double>(result.delivered);
  // 0 means the fallback (getrusage) was used and only the first run's delta is valid.
  state.counters["rss_reset_ok"] = reset_ok ? 1 : 0;
}

// Each run is deterministic, so few iterations suffice; 1e7 is one run of a few seconds.
BENCHMARK(BM_ReferenceLoop)
    ->Arg(100'000)
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceLoop)
    ->Arg(1'000'000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReferenceLoop)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace faultline::bench

BENCHMARK_MAIN();
