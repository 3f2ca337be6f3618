// The mobile carriers between SMS vendors and handsets: end-to-end delay, store and
// forward while a handset is off, regional outages (messages held at the SMS centre and
// delivered as the network drains), suspended subscribers (numbers that cannot receive)
// and handset spam filtering of a sender ID (delivered, but never seen).
//
// Suspension is computed, not stored: whether borrower i is suspended at t follows from
// keyed draws (cohort, onset, reactivation), so 10 million borrowers cost nothing here.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/model/affected.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline {

struct CarrierOutage {
  int carrier;  // index, or -1 for every carrier
  SimTime start, end;
  SimTime drain;  // after the outage, held messages arrive spread over this long
};

struct Suspension {
  int carrier;                // -1 = every carrier
  SimTime start, end;         // onsets spread uniformly over [start, end)
  double share;               // of the carrier's subscribers
  SimTime reactivation_mean;  // exponential; 0 = never within the run
  std::uint64_t stream;       // keyed-draw salt, unique per fault
};

struct SpamFilter {
  int vendor;  // sender ID of this vendor, or -1 for all
  SimTime start, end;
  double share;  // of delivered messages filtered away from the inbox, of the numbers it hits
  std::uint64_t stream;
  Affected affected;  // every number, or a persistent share (per: borrower; affected.h)
};

enum class CarrierFate : std::uint8_t { kDelivered, kFiltered, kUndeliverable, kExpired };

struct CarrierResult {
  CarrierFate fate;
  SimTime at;  // delivery time (delivered or filtered), or when the failure is known
};

class CarrierNetwork {
 public:
  CarrierNetwork(const Scenario& s, std::uint64_t run_seed);

  void add_outage(const CarrierOutage& o) { outages_.push_back(o); }
  void add_suspension(const Suspension& s) { suspensions_.push_back(s); }
  void add_spam_filter(const SpamFilter& f) { filters_.push_back(f); }

  // A message the vendor handed over at `handed_at`, valid until `expires_at`.
  CarrierResult carry(SimTime handed_at, SimTime expires_at, std::uint32_t borrower, int carrier,
                      const VendorSpec& vendor, int vendor_index, std::uint64_t key) const;
  bool suspended(std::uint32_t borrower, int carrier, SimTime t) const;
  bool has_suspensions() const { return !suspensions_.empty(); }

 private:
  const Scenario& scenario_;
  std::vector<KeyedRandom> delay_luck_;  // one stream per carrier: "carrier/<name>"
  KeyedRandom handset_luck_;
  KeyedRandom fault_luck_;
  std::vector<CarrierOutage> outages_;
  std::vector<Suspension> suspensions_;
  std::vector<SpamFilter> filters_;
};

}  // namespace faultline
