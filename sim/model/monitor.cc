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
  const auto minutes = static_cast<std::size_t>(horizon / kMinute + 1);
  sent_.assign(vendors, std::vector<std::uint32_t>(minutes, 0));
  receipts_ = sent_;
}

void ReceiptMonitor::record(int vendor, SimTime accepted_at, bool receipt_within_lag) {
  const auto m = static_cast<std::size_t>(accepted_at / kMinute);
  auto& sent = sent_[static_cast<std::size_t>(vendor)];
  if (m >= sent.size()) return;
  ++sent[m];
  if (receipt_within_lag) ++receipts_[static_cast<std::size_t>(vendor)][m];
}

double ReceiptMonitor::rate(int vendor, SimTime from, SimTime to, int min_messages) const {
  const auto& sent = sent_[static_cast<std::size_t>(vendor)];
  const auto& ok = receipts_[static_cast<std::size_t>(vendor)];
  std::uint64_t n = 0, r = 0;
  const auto first = static_cast<std::size_t>(std::max<SimTime>(0, from) / kMinute);
  const auto last =
      std::min(sent.size(), static_cast<std::size_t>(std::max<SimTime>(0, to) / kMinute));
  for (std::size_t m = first; m < last; ++m) n += sent[m], r += ok[m];
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
