#include "sim/model/sms_vendor.h"

#include <algorithm>
#include <cmath>

namespace faultline {

SmsVendor::SmsVendor(const VendorSpec& spec, std::uint64_t run_seed)
    : spec_(spec),
      service_time_(std::max<SimTime>(1, std::llround(kSecond / spec.capacity_per_s))),
      luck_(run_seed, "vendor/" + spec.name) {}

const OutageWindow* SmsVendor::outage_at(SimTime t) const {
  for (const auto& w : outages_)
    if (t >= w.start && t < w.end) return &w;
  return nullptr;
}

SendResult SmsVendor::submit(SimTime now, std::uint32_t borrower, std::uint64_t message_key,
                             Counters& c) {
  if (const OutageWindow* w = outage_at(now); w && w->mode == OutageMode::kReject) {
    ++c.sms_rejected;
    return {SendFate::kRejected, 0};
  }
  ++c.sms_sent;
  c.series.add(Series::sms_sent, now);
  c.sms_cost += spec_.cost_per_message;
  const SimTime send = std::max(now, next_free_);
  if (send - now > spec_.validity) {
    ++c.sms_expired;  // discarded when it reaches the head of the queue: takes no send slot
    return {SendFate::kExpired, 0};
  }
  next_free_ = send + service_time_;
  // An outage that begins while the message waits in the queue catches it too.
  if (const OutageWindow* w = outage_at(send); w) {
    ++c.sms_dropped;  // accepted earlier, never sent; reject-mode vendors drop their queue
    return {SendFate::kDropped, 0};
  }
  if (luck_.bernoulli(spec_.failure_probability, borrower, message_key)) {
    ++c.sms_failed;
    return {SendFate::kFailed, 0};
  }
  return {SendFate::kHandedToCarrier, send};
}

}  // namespace faultline
