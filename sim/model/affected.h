// Which borrowers a fault window hits (issue 18, "Failures correlated over borrowers"):
// every one (`per: attempt`, the default: each attempt or message then fails with its own
// draw), or a persistent share of them (`per: borrower`): their card, device or phone
// number. The borrower draw is keyed on the borrower and the fault's salt only — no attempt
// or message number — so the same borrowers are hit all through the window and every
// occurrence of a repeating fault, in every strategy, whatever the thread count or shard
// split, and in the live SMS-vendor emulator (where the number's hash plays the borrower).
// One mechanism for every fault that has it: gateway_outage, vendor_degradation,
// spam_filtering (sim/faults/correlation.h reads the parameters).
#pragma once

#include <cstdint>

#include "sim/random/stream.h"

namespace faultline {

struct Affected {
  bool per_borrower = false;
  double share = 1;        // per_borrower only: the share of borrowers hit
  std::uint64_t salt = 0;  // the fault's salt (World::fault_salt), the same for every window

  // Whether the window hits `borrower` at all. `luck` is the stream of the model part the
  // fault breaks; per attempt nothing is drawn, so such runs draw exactly as before.
  bool hits(const KeyedRandom& luck, std::uint32_t borrower) const {
    return !per_borrower || luck.bernoulli(share, borrower, salt ^ kDraw);
  }

  // The sub-key of the borrower draw (gateway_outage's since it was added: unchanged).
  static constexpr std::uint64_t kDraw = 0x700000000ULL;
};

}  // namespace faultline
