// Several instalments per borrower (population.cycles): one World per cycle, run one
// after the other, with what each borrower carries from one cycle to the next packed in
// one byte (CycleBits) — 10 M borrowers carry 10 MB, and a cycle costs what a
// one-instalment run costs, so the total is linear in the number of cycles.
//
// Cycle k is the instalment due on each borrower's own due day + k · cycle. Its run sees
// the faults from the cycle's start (Schedule::shifted), draws its behaviour and message
// luck from World::obligation_seed(run_seed, k), and keeps the borrowers' traits
// (population, channels, carriers). Between cycles a borrower's days-past-due bucket
// rolls: a missed instalment moves her one bucket on (current → 1–29 → 30–59 → 60+), a
// paid one brings her current (the payment covers the arrears: an assumption); a late
// fee (paid late or missed) may enrol her in autopay (behaviour.autopay_after_late_fee).
// docs/model.md, "Cycles".
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/model/population.h"
#include "sim/model/world.h"

namespace faultline {

// One byte per borrower.
enum CycleBits : std::uint8_t {
  kBucketMask = 3,    // 0 current, 1 = 1–29, 2 = 30–59, 3 = 60+ days past due
  kCarryAutopay = 4,  // enrolled in autopay after a late fee
  kLastLate = 8,      // the last instalment was paid late or missed (a late fee)
  kEver30 = 16,       // 30+ days past due at some cycle's end
};

inline int bucket_of(std::uint8_t carry) {
  return carry & kBucketMask;
}

// Every cycle of one run (strategy `strategy`, seed `run_seed`) on the native engine: the
// counters summed over the cycles (the time series and the incident timeline are the
// first cycle's), with Counters::cycles filled in.
RunOutput run_cycles(const Scenario& s, const Population& population, const StrategySpec& strategy,
                     std::uint64_t run_seed);

}  // namespace faultline
