// An SMS vendor: an API that accepts messages and a FIFO queue drained at a fixed rate.
// A message's fate is decided when it is submitted — the queue position gives its send
// time directly (send = max(now, next_free); next_free = send + 1/capacity) — so a vendor
// costs no events of its own: only the handset delivery is an event. Per-message draws
// come from the vendor's keyed stream, so the same message meets the same luck in every
// strategy that sends it through this vendor.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/metrics/metrics.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline {

enum class OutageMode : std::uint8_t {
  kReject,      // the API refuses messages: the sender knows at once
  kSilentDrop,  // the API accepts, nothing is delivered, no error is reported
};

struct OutageWindow {
  SimTime start;
  SimTime end;  // exclusive
  OutageMode mode;
};

enum class SendFate : std::uint8_t { kHandedToCarrier, kRejected, kDropped, kExpired, kFailed };

struct SendResult {
  SendFate fate;
  SimTime carrier_time;  // when the carrier has it (kHandedToCarrier only)
};

class SmsVendor {
 public:
  SmsVendor(const VendorSpec& spec, std::uint64_t run_seed);

  const std::string& name() const { return spec_.name; }
  void add_outage(const OutageWindow& w) { outages_.push_back(w); }
  const std::vector<OutageWindow>& outages() const { return outages_; }

  // `message_key` identifies the message across strategies (borrower, reminder rule).
  SendResult submit(SimTime now, std::uint32_t borrower, std::uint64_t message_key, Counters& c);

 private:
  const OutageWindow* outage_at(SimTime t) const;

  VendorSpec spec_;
  SimTime service_time_;
  SimTime next_free_ = 0;
  KeyedRandom luck_;
  std::vector<OutageWindow> outages_;
};

}  // namespace faultline
