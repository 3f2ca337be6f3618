// The behaviour engine of the SMS-vendor emulator: what happens to one live message, in
// simulated time, decided by the simulator's own model code — SmsVendor (the FIFO queue
// drained at `capacity`, failure_probability, validity, outage and degradation windows,
// receipt delay/loss, false "delivered") and CarrierNetwork (lognormal carrier delay,
// store and forward while the handset is off, carrier outages, suspended numbers, spam
// filtering) — with the scenario's parameters and the same keyed streams. Like the
// simulator, the engine decides a message's whole fate when it is accepted (its queue
// position gives its send time), so the server only has to fire the callbacks at the
// scaled wall-clock times; no per-message randomness comes from anywhere else.
//
// A live message is keyed like a simulated one: the destination number plays the
// borrower (a stable 32-bit hash of its digits) and the k-th message to that number is
// key k, so the same traffic meets the same luck whatever the interleaving of clients.
// The number's carrier is drawn by share from "population/carrier", as the population is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/metrics/metrics.h"
#include "sim/model/carrier_network.h"
#include "sim/model/sms_vendor.h"
#include "sim/random/stream.h"
#include "sim/scenario/scenario.h"

namespace faultline::vendor {

// Twilio's message statuses that the emulator uses (the names are the wire values).
enum class Status : std::uint8_t { queued, sent, delivered, undelivered, failed };
std::string_view status_name(Status s);

// Why a message ended as it did: the model's fate, as recorded in the ledger.
enum class Cause : std::uint8_t {
  delivered,       // reached the handset (filtered ones too: see Fate::filtered)
  rejected,        // refused at the API (vendor_outage reject): never accepted
  dropped,         // accepted and silently lost (vendor_outage silent_drop)
  queue_expired,   // waited in the vendor's queue past its validity
  vendor_failure,  // failure_probability or a degradation's error_rate
  undeliverable,   // suspended number
  carrier_expired  // store and forward ran past the validity
};
std::string_view cause_name(Cause c);

// Whether a fault type breaks a vendor, or a carrier, of the SMS path: read from its
// plug-in's `target` parameter (sim/faults), so a new SMS-path fault needs no list here.
bool targets_vendor(std::string_view fault_type);
bool targets_carrier(std::string_view fault_type);

// One fault window applied live, as the scenario's schedule gives it.
struct LiveWindow {
  int fault = 0;       // index into Scenario::faults
  int occurrence = 0;  // 0-based, for repeating faults
  SimTime start = 0;
  SimTime end = 0;  // exclusive
};

// The model's decision for one submitted message, in simulated time.
struct Fate {
  bool accepted = false;
  Cause cause = Cause::rejected;
  std::uint32_t subscriber = 0;  // the number's stable hash (the model's "borrower")
  std::uint64_t key = 0;         // k-th message to this number
  int carrier = 0;
  int window = -1;  // index into Engine::windows() covering the acceptance, or -1
  SimTime accepted_at = 0;
  SimTime sent_at = kTimeNever;            // the "sent" status: the carrier has it (or seems to)
  Status final_status = Status::queued;    // the truth, once known
  SimTime final_at = kTimeNever;           // handset delivery, or when the failure is known
  int error_code = 0;                      // Twilio error code of a failure; 0 = none
  bool filtered = false;                   // delivered into a spam folder: never seen
  Status receipt_status = Status::queued;  // what the final callback says
  SimTime receipt_at = kTimeNever;         // when it is sent; kTimeNever = no final callback
};

class Engine {
 public:
  // `windows`: the scenario's fault windows (its Schedule) for this run seed.
  Engine(const Scenario& scenario, std::uint64_t run_seed, std::vector<LiveWindow> windows);

  const Scenario& scenario() const { return scenario_; }
  const std::vector<LiveWindow>& windows() const { return windows_; }
  Fate submit(int vendor, std::string_view to, SimTime now);
  // The vendor-facing window covering `t` for this vendor and carrier (vendor faults aimed
  // at the vendor or "*", carrier faults at the carrier or "*"); -1 when none.
  int window_at(int vendor, int carrier, SimTime t) const;
  const Counters& counters() const { return counters_; }
  // Distinct numbers whose message counters are held (bounded; see kMaxSubscribers).
  std::size_t subscribers() const { return sequence_.size(); }

  // The stable subscriber id of a phone number (FNV-1a of its digits, folded to 32 bits).
  static std::uint32_t subscriber_of(std::string_view number);
  // Past this many distinct numbers the per-number counters start a new epoch (the epoch
  // is part of the key), so memory stays bounded whatever the traffic.
  static constexpr std::size_t kMaxSubscribers = 1 << 20;

 private:
  void apply_faults();

  const Scenario& scenario_;
  std::uint64_t run_seed_;
  std::vector<LiveWindow> windows_;
  std::vector<SmsVendor> vendors_;
  CarrierNetwork carriers_;
  KeyedRandom carrier_draw_;
  Counters counters_;
  std::unordered_map<std::uint32_t, std::uint32_t> sequence_;
  std::uint32_t epoch_ = 0;
};

}  // namespace faultline::vendor
