// Cost per draw of faultline's random streams and distributions (sim/random). The time
// per iteration is the time per draw, in ns. Sequential draws (RandomStream) and keyed
// draws (KeyedRandom: a hash of seed and keys per draw) are both measured, since the model
// picks one or the other per component and the reference workload uses keyed draws.
//
// Empirical::sample takes a uniform in; its figures include one RandomStream::uniform01
// (compare with BM_RandomStreamUniform01 to get the lookup alone).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "sim/random/distributions.h"
#include "sim/random/stream.h"

namespace faultline {
namespace {

constexpr std::uint64_t kSeed = 20260401;

// Runs `draw` once per iteration and reports items_per_second as draws per second.
template <class Draw>
void run_draws(benchmark::State& state, Draw draw) {
  for (auto _ : state) benchmark::DoNotOptimize(draw());
  state.SetItemsProcessed(state.iterations());
}

void BM_RandomStreamNextU64(benchmark::State& state) {
  RandomStream r(kSeed, "bench/random");
  run_draws(state, [&] { return r.next_u64(); });
}
void BM_RandomStreamUniform01(benchmark::State& state) {
  RandomStream r(kSeed, "bench/random");
  run_draws(state, [&] { return r.uniform01(); });
}
void BM_RandomStreamExponential(benchmark::State& state) {
  RandomStream r(kSeed, "bench/random");
  run_draws(state, [&] { return r.exponential(6.0 * 3600.0); });
}
void BM_RandomStreamLognormal(benchmark::State& state) {
  RandomStream r(kSeed, "bench/random");
  run_draws(state, [&] { return r.lognormal(2.0, 0.5); });
}

// Keyed draws use a running borrower index, as a model iterating over borrowers would.
void BM_KeyedRandomU64(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return r.u64(borrower++, 0); });
}
void BM_KeyedRandomBernoulli(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return r.bernoulli(0.9, borrower++, 0); });
}
void BM_KeyedRandomExponential(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return r.exponential(6.0 * 3600.0, borrower++, 1); });
}
void BM_KeyedRandomLognormal(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return r.lognormal(2.0, 0.5, borrower++, 0); });
}
// The model's two per-borrower draws as it makes them — a delay rounded to the µs and an
// amount rounded to a float — through libm, and through sim/random/fast_draws.h (the
// same values, bit for bit). 6 h: the reference workload's payment delay.
void BM_KeyedRandomExponentialTimeLibm(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return round_to_time(r.exponential(6.0 * kHour, borrower++, 1)); });
}
void BM_KeyedRandomExponentialTime(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return r.exponential_time(6.0 * kHour, borrower++, 1); });
}
void BM_KeyedRandomLognormalFloatLibm(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return static_cast<float>(r.lognormal(1000, 0.5, borrower++, 1)); });
}
void BM_KeyedRandomLognormalFloat(benchmark::State& state) {
  const KeyedRandom r(kSeed, "bench/keyed");
  std::uint64_t borrower = 0;
  run_draws(state, [&] { return r.lognormal_float(1000, 0.5, borrower++, 1); });
}

// Continuous: interpolation between `range(0)` sorted points (O(1) per draw).
void BM_EmpiricalContinuousSample(benchmark::State& state) {
  std::vector<double> points;
  for (std::int64_t i = 0; i < state.range(0); ++i) points.push_back(static_cast<double>(i * i));
  const Empirical e = Empirical::continuous(points);
  RandomStream r(kSeed, "bench/empirical");
  run_draws(state, [&] { return e.sample(r.uniform01()); });
}
// Discrete: binary search over `range(0)` cumulative weights (O(log n) per draw).
void BM_EmpiricalDiscreteSample(benchmark::State& state) {
  std::vector<double> values;
  std::vector<double> weights;
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    values.push_back(static_cast<double>(i));
    weights.push_back(1.0 + static_cast<double>(i % 7));
  }
  const Empirical e = Empirical::discrete(values, weights);
  RandomStream r(kSeed, "bench/empirical");
  run_draws(state, [&] { return e.sample(r.uniform01()); });
}

BENCHMARK(BM_RandomStreamNextU64);
BENCHMARK(BM_RandomStreamUniform01);
BENCHMARK(BM_RandomStreamExponential);
BENCHMARK(BM_RandomStreamLognormal);
BENCHMARK(BM_KeyedRandomU64);
BENCHMARK(BM_KeyedRandomBernoulli);
BENCHMARK(BM_KeyedRandomExponential);
BENCHMARK(BM_KeyedRandomLognormal);
BENCHMARK(BM_KeyedRandomExponentialTimeLibm);
BENCHMARK(BM_KeyedRandomExponentialTime);
BENCHMARK(BM_KeyedRandomLognormalFloatLibm);
BENCHMARK(BM_KeyedRandomLognormalFloat);
BENCHMARK(BM_EmpiricalContinuousSample)->Arg(1'000);
BENCHMARK(BM_EmpiricalDiscreteSample)->Arg(10)->Arg(1'000);

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
