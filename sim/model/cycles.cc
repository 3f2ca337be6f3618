#include "sim/model/cycles.h"

#include <algorithm>

#include "sim/random/stream.h"

namespace faultline {

namespace {
// Keys of the between-cycles draws (stream "borrower/cycles", keyed by borrower and cycle).
enum CycleKey : std::uint64_t { kAdoptsAutopay = 0 };
}  // namespace

RunOutput run_cycles(const Scenario& s, const Population& population, const StrategySpec& strategy,
                     std::uint64_t run_seed) {
  const std::uint32_t n = population.size();
  const BehaviourSpec& b = s.population.behaviour;
  const KeyedRandom luck(run_seed, "borrower/cycles");
  std::vector<std::uint8_t> carry(n, 0);
  RunOutput out;
  CycleCounts tally;
  tally.cycles = static_cast<std::uint32_t>(s.population.cycles);
  tally.borrowers = n;
  for (int k = 0; k < s.population.cycles; ++k) {
    World world(s, population, run_seed, k);
    world.set_carry(carry);
    world.configure(strategy);
    RunOutput run = world.run();
    // This cycle alone (its instalment, its rolls) with the state at its end, for the
    // per-cycle metrics; the tally keeps the run's totals.
    Counters cycle_counters = run.counters;
    CycleCounts& at_end = cycle_counters.cycles;
    at_end.cycles = static_cast<std::uint32_t>(k + 1);
    at_end.borrowers = n;
    at_end.ever_30dpd = tally.ever_30dpd;
    at_end.autopay_adopted = tally.autopay_adopted;
    if (k == 0)
      out = std::move(run);
    else
      add_cycle(out.counters, run.counters),
          out.kernel.events_processed += run.kernel.events_processed;
    const std::span<const std::uint8_t> outcome = world.outcomes();
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint8_t c = carry[i];
      const int from = bucket_of(c);
      const bool missed = outcome[i] == World::kOutcomeMissed;
      const bool fee = missed || outcome[i] == World::kOutcomeLate;
      const int to = missed ? std::min(from + 1, 3) : 0;
      ++at_end.rolls[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)];
      ++at_end.last[static_cast<std::size_t>(to)];
      c = static_cast<std::uint8_t>((c & ~(kBucketMask | kLastLate)) | to | (fee ? kLastLate : 0));
      if (to >= 2 && (c & kEver30) == 0) c |= kEver30, ++at_end.ever_30dpd;
      if (fee && (c & kCarryAutopay) == 0 &&
          luck.bernoulli(b.autopay_after_late_fee, i,
                         kAdoptsAutopay | (static_cast<std::uint64_t>(k) << 8)))
        c |= kCarryAutopay, ++at_end.autopay_adopted;
      carry[i] = c;
    }
    for (std::size_t from = 0; from < 4; ++from)
      for (std::size_t to = 0; to < 4; ++to) tally.rolls[from][to] += at_end.rolls[from][to];
    tally.last = at_end.last;
    tally.ever_30dpd = at_end.ever_30dpd;
    tally.autopay_adopted = at_end.autopay_adopted;
    out.cycle_metrics.push_back(cycle_metric_values(compute_metrics(cycle_counters)));
  }
  out.counters.cycles = tally;
  out.counters.events = out.kernel.events_processed;
  return out;
}

}  // namespace faultline
