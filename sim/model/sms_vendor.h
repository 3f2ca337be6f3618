// An SMS vendor: an API that accepts messages and a FIFO queue drained at a fixed rate.
// A message's fate at the vendor is decided when it is submitted — its queue position
// gives its send time directly (send = max(now, next_free); next_free = send +
// 1/capacity) — so the vendor costs no events of its own. Per-message draws come from the
// vendor's keyed stream (`vendor/<name>`).
//
// Faults change the vendor through windows: outages (reject, silent_drop, backlog,
// receipt_loss) and degradations (extra latency, reduced capacity, extra errors).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/metrics/metrics.h"
#include "sim/model/affected.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline {

enum class OutageMode : std::uint8_t {
  kReject,       // the API refuses messages: the sender sees errors at once
  kSilentDrop,   // accepted and lost: no error, no delivery receipt
  kBacklog,      // accepted and held; sent after the outage (validity may run out)
  kReceiptLoss,  // messages are delivered but their receipts are lost
};

struct OutageWindow {
  SimTime start;
  SimTime end;  // exclusive
  OutageMode mode;
};

struct DegradationWindow {
  SimTime start;
  SimTime end;
  SimTime extra_latency;   // added between the vendor and the carrier
  double capacity_factor;  // send rate multiplier in (0, 1]
  double error_rate;       // extra per-message failure probability, of the numbers it hits
  Affected affected;       // every number, or a persistent share (per: borrower; affected.h)
};

enum class SendFate : std::uint8_t { kHandedToCarrier, kRejected, kDropped, kExpired, kFailed };

struct SendResult {
  SendFate fate;
  SimTime carrier_time = 0;   // when the carrier has it (kHandedToCarrier)
  SimTime expires_at = 0;     // accepted time + validity: the SMSC gives up after this
  SimTime left_queue_at = 0;  // when it left the queue (handed over, failed or dropped)
};

class SmsVendor {
 public:
  SmsVendor(const VendorSpec& spec, std::uint64_t run_seed);

  const std::string& name() const { return spec_.name; }
  const VendorSpec& spec() const { return spec_; }
  void add_outage(const OutageWindow& w) { outages_.push_back(w); }
  void add_degradation(const DegradationWindow& w) { degradations_.push_back(w); }
  const std::vector<OutageWindow>& outages() const { return outages_; }

  // The API's answer for a message submitted at `now` (draws keyed by borrower, key).
  SendResult submit(SimTime now, std::uint32_t borrower, std::uint64_t key, Counters& c);
  // Whether a receipt for a message delivered at `delivered_at` reaches the sender.
  bool receipt_arrives(SimTime delivered_at, std::uint32_t borrower, std::uint64_t key) const;
  // Whether a message that failed still gets a receipt saying "delivered".
  bool false_receipt(std::uint32_t borrower, std::uint64_t key) const;
  bool rejecting_at(SimTime t) const;
  // A one-time password submitted at `now` on the vendor's priority route (it skips the
  // bulk queue): when it reaches the carrier, or kTimeNever when the API refuses or loses
  // it. Counts nothing: OTPs are not reminders.
  SimTime otp_handoff(SimTime now, std::uint32_t borrower, std::uint64_t key) const;
  const OutageWindow* outage_at(SimTime t) const;

 private:
  const DegradationWindow* degradation_at(SimTime t) const;
  // Whether a message sent at `send` fails at the vendor (failure_probability, or the
  // degradation's error_rate on the numbers it hits).
  bool fails(const DegradationWindow* slow, std::uint32_t borrower, std::uint64_t key) const;

  VendorSpec spec_;
  SimTime service_time_;
  SimTime next_free_ = 0;
  KeyedRandom luck_;
  std::vector<OutageWindow> outages_;
  std::vector<DegradationWindow> degradations_;
};

}  // namespace faultline
