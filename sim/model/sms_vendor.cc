#include "sim/model/sms_vendor.h"

#include <algorithm>
#include <cmath>

namespace faultline {

namespace {
// Sub-keys of the vendor's per-message draws.
constexpr std::uint64_t kFailDraw = 0x100000000ULL;
constexpr std::uint64_t kErrorDraw = 0x200000000ULL;
constexpr std::uint64_t kReceiptDraw = 0x300000000ULL;
// 0x400000000: false receipts; 0x700000000: the per-borrower draw (Affected::kDraw).
}  // namespace

SmsVendor::SmsVendor(const VendorSpec& spec, std::uint64_t run_seed)
    : spec_(spec),
      service_time_(std::max<SimTime>(1, round_to_time(kSecond / spec.capacity_per_s))),
      luck_(run_seed, "vendor/" + spec.name) {}

const OutageWindow* SmsVendor::outage_at(SimTime t) const {
  for (const auto& w : outages_)
    if (t >= w.start && t < w.end) return &w;
  return nullptr;
}

bool SmsVendor::rejecting_at(SimTime t) const {
  const OutageWindow* w = outage_at(t);
  return w != nullptr && w->mode == OutageMode::kReject;
}

const DegradationWindow* SmsVendor::degradation_at(SimTime t) const {
  for (const auto& w : degradations_)
    if (t >= w.start && t < w.end) return &w;
  return nullptr;
}

bool SmsVendor::fails(const DegradationWindow* slow, std::uint32_t borrower,
                      std::uint64_t key) const {
  if (luck_.bernoulli(spec_.failure_probability, borrower, key | kFailDraw)) return true;
  // per: borrower — the same numbers all through the window (a draw without the message);
  // per: attempt draws exactly as before the option existed.
  return slow && slow->error_rate > 0 && slow->affected.hits(luck_, borrower) &&
         luck_.bernoulli(slow->error_rate, borrower, key | kErrorDraw);
}

SendResult SmsVendor::submit(SimTime now, std::uint32_t borrower, std::uint64_t key, Counters& c) {
  if (rejecting_at(now)) {
    ++c.sms_rejected;
    return {SendFate::kRejected};
  }
  ++c.sms_sent;
  c.series.add(Series::sms_sent, now);
  c.sms_cost += spec_.cost_per_message;
  const SimTime expires_at = now + spec_.validity;
  SimTime send = std::max(now, next_free_);
  // A backlog outage holds the queue: nothing leaves before it ends.
  if (const OutageWindow* w = outage_at(send); w && w->mode == OutageMode::kBacklog) send = w->end;
  if (send > expires_at) {
    ++c.sms_expired;  // discarded when it reaches the head of the queue: takes no send slot
    return {SendFate::kExpired, 0, expires_at, send};
  }
  const DegradationWindow* slow = degradation_at(send);
  SimTime service = service_time_;
  if (slow && slow->capacity_factor < 1)
    service =
        round_to_time(static_cast<double>(service_time_) / std::max(1e-6, slow->capacity_factor));
  next_free_ = send + service;
  // An outage that begins while the message waits in the queue catches it too.
  if (const OutageWindow* w = outage_at(send);
      w && (w->mode == OutageMode::kSilentDrop || w->mode == OutageMode::kReject)) {
    ++c.sms_dropped;
    return {SendFate::kDropped, 0, expires_at, send};
  }
  if (fails(slow, borrower, key)) {
    ++c.sms_failed;
    return {SendFate::kFailed, 0, expires_at, send};
  }
  return {SendFate::kHandedToCarrier, send + (slow ? slow->extra_latency : 0), expires_at, send};
}

SimTime SmsVendor::otp_handoff(SimTime now, std::uint32_t borrower, std::uint64_t key) const {
  SimTime send = now;
  if (const OutageWindow* w = outage_at(now)) {
    if (w->mode == OutageMode::kReject || w->mode == OutageMode::kSilentDrop) return kTimeNever;
    if (w->mode == OutageMode::kBacklog) send = w->end;
  }
  const DegradationWindow* slow = degradation_at(send);
  if (fails(slow, borrower, key)) return kTimeNever;
  return send + (slow ? slow->extra_latency : 0);
}

bool SmsVendor::false_receipt(std::uint32_t borrower, std::uint64_t key) const {
  return luck_.bernoulli(spec_.false_delivered, borrower, key | 0x400000000ULL);
}

bool SmsVendor::receipt_arrives(SimTime delivered_at, std::uint32_t borrower,
                                std::uint64_t key) const {
  const SimTime at = delivered_at + spec_.receipt_delay;
  if (const OutageWindow* w = outage_at(at); w && w->mode != OutageMode::kBacklog) return false;
  return !luck_.bernoulli(spec_.receipt_loss, borrower, key | kReceiptDraw);
}

}  // namespace faultline
