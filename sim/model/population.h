// Borrowers as data: structure of arrays, a few bytes each, so 10 million fit easily.
// Everything drawn per borrower comes from counter-based streams keyed by the borrower's
// index, so the population of a replication is identical for every strategy (common
// random numbers) and independent of the order in which it is built.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/scenario/scenario.h"

namespace faultline {

struct Population {
  std::vector<std::uint16_t> due_day;  // instalment due at the end of this day
  std::vector<std::uint8_t> carrier;   // index into Scenario::carriers
  std::vector<std::uint8_t> product;   // index into PopulationSpec::products (0 if none declared)
  std::vector<float> amount;           // instalment amount, currency units
  // Borrowers grouped by due day (counting sort), so the daily batches touch only the
  // borrowers due that day: day d's borrowers are by_due_day[day_start[d] .. day_start[d+1]).
  std::vector<std::uint32_t> by_due_day;
  std::vector<std::uint32_t> day_start;

  std::uint32_t size() const { return static_cast<std::uint32_t>(due_day.size()); }
  std::uint32_t days() const { return static_cast<std::uint32_t>(day_start.size() - 1); }

  static Population generate(const Scenario& s, std::uint64_t run_seed);
  std::size_t bytes() const;
};

// The carrier of a subscriber whose draw from the stream "population/carrier" is `u`:
// the cumulative shares walked with one uniform. The vendor emulator uses the same rule
// for the numbers it is sent to (adapters/vendor).
std::uint8_t carrier_by_share(const std::vector<CarrierSpec>& carriers, double u);

}  // namespace faultline
