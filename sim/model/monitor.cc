// Detection: monitors that watch what an operations team would see — API health checks
// and the delivery-receipt rate per vendor over a sliding window — and the actions they
// trigger: vendor failover (and failback, once probe traffic shows the primary healthy
// again, like a circuit breaker's half-open state), and, with anomaly monitoring, re-sending the
// reminders that were lost. Nothing here peeks at the fault schedule: a silent outage is
// noticed only through missing receipts, and a receipt outage (dlr_loss) fools the
// receipt-rate monitor into a needless failover, as it would in production.
#include <algorithm>

#include "sim/model/world.h"

namespace faultline {

void World::record_send(int v, SimTime accepted_at, bool receipt_within_lag) {
  const auto m = static_cast<std::size_t>(accepted_at / kMinute);
  auto& sent = sent_per_min_[static_cast<std::size_t>(v)];
  if (m >= sent.size()) return;
  ++sent[m];
  if (receipt_within_lag) ++receipts_per_min_[static_cast<std::size_t>(v)][m];
}

void World::detected(SimTime t) {
  first_detection_ = std::min(first_detection_, t);
}

namespace {
// Receipt rate of vendor v's sends accepted in [from, to); negative when too few sends.
double receipt_rate(const std::vector<std::uint32_t>& sent, const std::vector<std::uint32_t>& ok,
                    SimTime from, SimTime to, int min_messages) {
  std::uint64_t n = 0, r = 0;
  const auto first = static_cast<std::size_t>(std::max<SimTime>(0, from) / kMinute);
  const auto last =
      std::min(sent.size(), static_cast<std::size_t>(std::max<SimTime>(0, to) / kMinute));
  for (std::size_t m = first; m < last; ++m) n += sent[m], r += ok[m];
  if (n < static_cast<std::uint64_t>(std::max(1, min_messages))) return -1;
  return static_cast<double>(r) / static_cast<double>(n);
}
}  // namespace

void World::on_monitor_tick(void* self, Kernel& k, const Event&) {
  auto& w = *static_cast<World*>(self);
  const SimTime now = k.now();
  w.check_failover(now);
  w.check_anomalies(now);
  const SimTime tick = w.failover_.secondary >= 0 ? w.failover_.interval : kMinute;
  if (now + tick < w.scenario_.horizon) k.schedule_in(tick, w.h_monitor_);
}

void World::check_failover(SimTime now) {
  if (failover_.secondary < 0) return;
  const SmsVendor& primary = vendors_[static_cast<std::size_t>(primary_)];
  if (failover_.detection == Detection::kHealthCheck) {
    const bool down = primary.rejecting_at(now);
    if (down && !failover_active_) {
      failover_active_ = true;
      detected(now);
      first_recovery_ = std::min(first_recovery_, now);
      ++counters_.failovers;
    } else if (!down && failover_active_ && failover_.failback) {
      failover_active_ = false;
    }
    return;
  }
  const SimTime to = now - kReceiptLag;
  const SimTime from = std::max(to - failover_.window, failover_evaluate_from_);
  const auto& sent = sent_per_min_[static_cast<std::size_t>(primary_)];
  const auto& ok = receipts_per_min_[static_cast<std::size_t>(primary_)];
  if (failover_active_) {
    if (!failover_.failback) return;
    // Only probes reach the primary now: judge them, with a proportionally smaller quorum.
    const int quorum =
        std::max(5, static_cast<int>(failover_.min_messages * failover_.probe_share));
    const double rate = receipt_rate(sent, ok, from, to, quorum);
    if (rate >= failover_.threshold) {
      failover_active_ = false;
      failover_evaluate_from_ = now;
    }
    return;
  }
  const double rate = receipt_rate(sent, ok, from, to, failover_.min_messages);
  if (rate >= 0 && rate < failover_.threshold) {
    failover_active_ = true;
    failover_evaluate_from_ = now;
    detected(now);
    first_recovery_ = std::min(first_recovery_, now);
    ++counters_.failovers;
  }
}

void World::check_anomalies(SimTime now) {
  if (!monitoring_.enabled || now < anomaly_quiet_until_) return;
  const SimTime window = failover_.secondary >= 0 ? failover_.window : 15 * kMinute;
  const double threshold = failover_.secondary >= 0 ? failover_.threshold : 0.3;
  const SimTime to = now - kReceiptLag;
  // Any vendor whose recent traffic came back without receipts (the failover may already
  // have moved traffic away: the loss it left behind still needs re-sending).
  bool collapsed = false;
  for (std::size_t v = 0; v < vendors_.size(); ++v) {
    const double rate = receipt_rate(sent_per_min_[v], receipts_per_min_[v], to - window, to, 50);
    collapsed = collapsed || (rate >= 0 && rate < threshold);
  }
  if (!collapsed) return;
  const SimTime alarm = now + monitoring_.detect_after;
  detected(alarm);
  first_recovery_ = std::min(first_recovery_, alarm);
  anomaly_quiet_until_ = alarm + window;
  if (alarm >= scenario_.horizon) return;
  if (failover_.secondary >= 0 && !failover_active_) {
    // The alarm also moves traffic to the backup vendor (it may already have moved).
    failover_active_ = true;
    failover_evaluate_from_ = now;
    ++counters_.failovers;
  }
  if (!monitoring_.resend) return;
  // Re-send every batch of the last day whose reminders may have been lost; run_batch
  // skips borrowers who got theirs or have paid.
  for (std::uint32_t r = 0; r < scenario_.reminders.size(); ++r) {
    for (std::uint32_t d = 0; d < population_.days(); ++d) {
      const ReminderRule& rule = scenario_.reminders[r];
      const SimTime at = (static_cast<SimTime>(d) - rule.before_due_days) * kDay + rule.at;
      if (at >= now - kDay && at <= now && population_.day_start[d] != population_.day_start[d + 1])
        kernel_.schedule_at(alarm, h_resend_, r, d);
    }
  }
}

}  // namespace faultline
