// What a work unit costs to move (sim/scaleout/unit_codec.h): encoding one unit of the
// flagship scenario (4 strategies, a 25-day horizon: hourly series and latency histograms
// per run) to the line a shard file holds and an MPI rank sends, and decoding it back —
// the per-unit work of `faultline merge` and of rank 0. The unit's size depends on the
// horizon and the strategies, not on the borrowers, so 20,000 borrowers stand for a
// million. Counter: bytes (the line's length).
#include <benchmark/benchmark.h>

#include <string>

#include "sim/model/plugin.h"
#include "sim/pipeline/experiment.h"
#include "sim/scaleout/unit_codec.h"
#include "sim/scenario/parser.h"

namespace faultline::bench {
namespace {

const UnitResult& flagship_unit() {
  static const UnitResult unit = [] {
    Scenario s = parse_scenario_file(
        std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/flagship-vendor-outage.yaml",
        builtin_catalogues());
    s.population.borrowers = 20000;
    s.expectations.clear();
    const Experiment e(std::move(s));
    const std::vector<WorkUnit> units = e.first_units();
    return e.run_units(std::span(units).first(1)).front();
  }();
  return unit;
}

void BM_EncodeUnit(benchmark::State& state) {
  const UnitResult& u = flagship_unit();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string line = encode_unit(u);
    bytes = line.size();
    benchmark::DoNotOptimize(line.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeUnit)->Unit(benchmark::kMicrosecond);

void BM_DecodeUnit(benchmark::State& state) {
  const std::string line = encode_unit(flagship_unit());
  for (auto _ : state) {
    UnitResult u = decode_unit(line, {1, 4});
    benchmark::DoNotOptimize(u.runs.data());
  }
  state.counters["bytes"] = static_cast<double>(line.size());
}
BENCHMARK(BM_DecodeUnit)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace faultline::bench

BENCHMARK_MAIN();
