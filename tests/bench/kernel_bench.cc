// Throughput of faultline's event kernel (sim/kernel) with 1e3..1e7 pending events, in
// the classic "hold" model: the queue holds N events; each event, when it runs, schedules
// one new event at now + an exponential delay, so the queue stays at N. That is the
// steady state of a large simulation (every borrower has a pending timer).
//
// - BM_KernelHold/N: schedule + pop per event.
// - BM_KernelHoldFar/N: the same with a mean delay of 6 h instead of 1 s, like the
//   payments, cures and checks that the incident scenarios schedule days ahead: a queue
//   whose events are mostly far from the next one.
// - BM_KernelCancel/N: the same, and each event also cancels one random pending event and
//   reschedules it. The difference to Hold is the cost of cancel() + one schedule + the
//   lazy skip of the cancelled record when it reaches the top of the heap.
// - BM_KernelCancelCall/N: the cancel() call alone, on N pending events in random order
//   (one cancel per iteration, each event at most once, so at most N iterations).
// - BM_KernelBatch/N: N events scheduled for one instant 2 h ahead (a batch's fallback
//   checks), then run; ties run in scheduling order, so this is the cost of that order.
//
// Delays and cancel victims are drawn before timing from a table, so the figures are the
// kernel's cost, not the PRNG's (random_bench measures that). items_per_second and the
// events_per_s counter both count events processed (cancelled records skipped excluded).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/random/stream.h"

namespace faultline {
namespace {

constexpr std::uint64_t kEventsPerIteration = 1000;  // amortises the run() call
constexpr std::size_t kTableSize = 1 << 16;          // pre-drawn delays and victims
constexpr double kMeanDelayUs = 1.0 * kSecond;
constexpr double kFarMeanDelayUs = 6.0 * kHour;

struct HoldModel {
  HoldModel(std::size_t pending, bool with_cancel, double mean_delay_us = kMeanDelayUs) {
    RandomStream rng(20260401, "bench/kernel");
    for (std::size_t i = 0; i < kTableSize; ++i) {
      delays_us.push_back(static_cast<SimTime>(rng.exponential(mean_delay_us)));
      victims.push_back(
          static_cast<std::uint32_t>(rng.uniform_int(0, static_cast<std::int64_t>(pending) - 1)));
    }
    hold = with_cancel ? kernel.add_handler("hold_and_cancel", on_hold_and_cancel, this)
                       : kernel.add_handler("hold", on_hold, this);
    // Cancelled records stay in the queue until they surface: room for twice the queue.
    kernel.reserve(with_cancel ? 2 * pending : pending + 1);
    slot_event.resize(pending);
    for (std::size_t slot = 0; slot < pending; ++slot) {
      slot_event[slot] =
          kernel.schedule_at(draw_delay_us(), hold, static_cast<std::uint32_t>(slot));
    }
  }

  SimTime draw_delay_us() { return delays_us[next_delay++ & (kTableSize - 1)]; }
  std::uint32_t draw_victim() { return victims[next_victim++ & (kTableSize - 1)]; }

  static void on_hold(void* context, Kernel& kernel, const Event& event) {
    auto& m = *static_cast<HoldModel*>(context);
    kernel.schedule_in(m.draw_delay_us(), m.hold, event.target);
  }
  static void on_hold_and_cancel(void* context, Kernel& kernel, const Event& event) {
    auto& m = *static_cast<HoldModel*>(context);
    m.slot_event[event.target] = kernel.schedule_in(m.draw_delay_us(), m.hold, event.target);
    const std::uint32_t victim = m.draw_victim();
    if (kernel.cancel(m.slot_event[victim])) {
      m.slot_event[victim] = kernel.schedule_in(m.draw_delay_us(), m.hold, victim);
    }
  }

  Kernel kernel;
  std::vector<SimTime> delays_us;
  std::vector<std::uint32_t> victims;
  std::vector<EventId> slot_event;  // each slot's pending event, for cancel()
  std::size_t next_delay = 0;
  std::size_t next_victim = 0;
  HandlerId hold = 0;
};

void run_hold(benchmark::State& state, bool with_cancel, double mean_delay_us = kMeanDelayUs) {
  HoldModel model(static_cast<std::size_t>(state.range(0)), with_cancel, mean_delay_us);
  for (auto _ : state) {
    const RunResult r = model.kernel.run(
        RunBounds{kTimeNever, model.kernel.events_processed() + kEventsPerIteration});
    benchmark::DoNotOptimize(r);
  }
  const auto events = static_cast<std::int64_t>(state.iterations() * kEventsPerIteration);
  state.SetItemsProcessed(events);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["pending"] = static_cast<double>(model.kernel.pending());
}

void BM_KernelHold(benchmark::State& state) {
  run_hold(state, false);
}
void BM_KernelCancel(benchmark::State& state) {
  run_hold(state, true);
}
void BM_KernelHoldFar(benchmark::State& state) {
  run_hold(state, false, kFarMeanDelayUs);
}

void on_batch_event(void*, Kernel&, const Event&) {}

void BM_KernelBatch(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  Kernel kernel;
  const HandlerId h = kernel.add_handler("batch", on_batch_event, nullptr);
  SimTime at = 0;
  for (auto _ : state) {
    at += 2 * kHour;
    for (std::uint32_t i = 0; i < n; ++i) kernel.schedule_at(at, h, i);
    benchmark::DoNotOptimize(kernel.run());
  }
  const auto events = static_cast<std::int64_t>(state.iterations()) * n;
  state.SetItemsProcessed(events);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_KernelCancelCall(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  HoldModel model(pending, false);
  // A random order, so the cancelled set is filled the way a model would fill it.
  std::vector<EventId> order = model.slot_event;
  RandomStream rng(20260401, "bench/kernel/cancel");
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i],
              order[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(i)))]);
  }
  std::size_t next = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model.kernel.cancel(order[next++]));
  state.SetItemsProcessed(state.iterations());
  state.counters["pending"] = static_cast<double>(model.kernel.pending());
}

// Up to 1e5 the set-up is cheap and the library picks the iteration count. At 1e6 and
// 1e7 set-up (N schedules, up to ~1 GB with cancels) dominates, and the library would
// repeat it for each trial run: a fixed 2e6 events per size keeps the suite affordable.
// At 1e7 that is a fifth of a queue turnover, so BM_KernelCancel/1e7 sees fewer
// cancelled records surfacing than in true steady state.
BENCHMARK(BM_KernelHold)->RangeMultiplier(10)->Range(1'000, 100'000);
BENCHMARK(BM_KernelHold)->Arg(1'000'000)->Iterations(2'000);
BENCHMARK(BM_KernelHold)->Arg(10'000'000)->Iterations(2'000);
BENCHMARK(BM_KernelHoldFar)->RangeMultiplier(10)->Range(1'000, 100'000);
BENCHMARK(BM_KernelHoldFar)->Arg(1'000'000)->Iterations(2'000);
BENCHMARK(BM_KernelHoldFar)->Arg(10'000'000)->Iterations(2'000);
BENCHMARK(BM_KernelBatch)->RangeMultiplier(10)->Range(1'000, 1'000'000);
BENCHMARK(BM_KernelCancel)->RangeMultiplier(10)->Range(1'000, 100'000);
BENCHMARK(BM_KernelCancel)->Arg(1'000'000)->Iterations(2'000);
BENCHMARK(BM_KernelCancel)->Arg(10'000'000)->Iterations(2'000);
// Iterations must not exceed N; at 1e7, cancelling a tenth of the queue is enough.
BENCHMARK(BM_KernelCancelCall)->Arg(1'000)->Iterations(1'000);
BENCHMARK(BM_KernelCancelCall)->Arg(10'000)->Iterations(10'000);
BENCHMARK(BM_KernelCancelCall)->Arg(100'000)->Iterations(100'000);
BENCHMARK(BM_KernelCancelCall)->Arg(1'000'000)->Iterations(1'000'000);
BENCHMARK(BM_KernelCancelCall)->Arg(10'000'000)->Iterations(1'000'000);

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
