// What operations can see, and the clock they look at it by: the receipt monitor (per
// vendor, per minute, messages accepted and receipts back within kReceiptLag) and the
// monitor tick, at which subscribers judge it (vendor_failover's router monitor,
// anomaly_monitoring's alarm). Nothing here peeks at the fault schedule: a silent outage
// is noticed only through missing receipts, and a receipt outage (receipt_loss) fools a
// receipt-rate monitor as it would in production.
#include <algorithm>

#include "sim/model/world.h"

namespace faultline {

void ReceiptMonitor::enable(std::size_t vendors, SimTime horizon) {
  vendors_ = vendors;
  horizon_minutes_ = static_cast<std::size_t>(horizon / kMinute + 1);
}

void ReceiptMonitor::record(int vendor, SimTime accepted_at, bool receipt_within_lag) {
  if (accepted_at < 0) return;
  const auto m = static_cast<std::size_t>(accepted_at / kMinute);
  if (m >= horizon_minutes_) return;
  if (ring_ == 0) {  // the mitigations have set the window by the first send
    ring_ =
        std::min(horizon_minutes_,
                 static_cast<std::size_t>((window + World::kReceiptLag + kSlack) / kMinute + 2));
    slots_.assign(vendors_ * ring_, Slot{});
  }
  Slot& s = slots_[static_cast<std::size_t>(vendor) * ring_ + m % ring_];
  const auto minute = static_cast<std::int64_t>(m);
  if (s.minute > minute) return;  // older than anything the monitor can still ask for
  if (s.minute < minute) s = Slot{minute, 0, 0};
  ++s.sent;
  if (receipt_within_lag) ++s.receipts;
}

const ReceiptMonitor::Slot* ReceiptMonitor::slot(int vendor, std::int64_t minute) const {
  const Slot& s =
      slots_[static_cast<std::size_t>(vendor) * ring_ + static_cast<std::size_t>(minute) % ring_];
  return s.minute == minute ? &s : nullptr;
}

double ReceiptMonitor::rate(int vendor, SimTime from, SimTime to, int min_messages) const {
  std::uint64_t n = 0, r = 0;
  if (ring_ > 0) {
    const auto first = static_cast<std::int64_t>(std::max<SimTime>(0, from) / kMinute);
    const auto last = std::min(static_cast<std::int64_t>(horizon_minutes_),
                               static_cast<std::int64_t>(std::max<SimTime>(0, to) / kMinute));
    for (std::int64_t m = first; m < last; ++m)
      if (const Slot* s = slot(vendor, m)) n += s->sent, r += s->receipts;
  }
  if (n < static_cast<std::uint64_t>(std::max(1, min_messages))) return -1;
  return static_cast<double>(r) / static_cast<double>(n);
}

void World::on_monitor_tick(void* self, Kernel& k, const Event&) {
  auto& w = *static_cast<World*>(self);
  const SimTime now = k.now();
  for (Subscriber* s : w.hooks_[Hook::kMonitorTick]) s->monitor_tick(now);
  if (now + w.monitor_.interval < w.scenario_.horizon)
    k.schedule_in(w.monitor_.interval, w.h_monitor_);
}

}  // namespace faultline
