// anomaly_monitoring: watch the pipeline's volumes and receipt rates; `detect_after` an
// anomaly shows (an expected reminder batch that goes out empty, receipts that stop
// coming back), raise the alarm: re-enable a silenced notification module, move SMS to
// the secondary vendor if vendor_failover is configured, and re-send the reminders that
// were lost to borrowers who still owe.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class AnomalyMonitoring final : public Subscriber {
 public:
  AnomalyMonitoring(const ParamSet& p, World& world)
      : world_(world), detect_after_(p.time("detect_after")), resend_(p.flag("resend")) {
    // It watches vendors through the receipt monitor only, so it asks for no per-borrower
    // receipts (until issue 12 the World kept them for it anyway: a receipt event per
    // delivered message, never read).
    world.receipt_monitor();
    world.hooks().subscribe(Hook::kBatchSuppressed, this);
    world.hooks().subscribe(Hook::kMonitorTick, this, 1);  // after routing monitors
  }

  // The volume monitor sees an expected batch go out empty and raises the alarm.
  void batch_suppressed(std::uint32_t rule, std::uint32_t day) override {
    const SimTime now = world_.now();
    const SimTime alarm = now + detect_after_;
    world_.detected(alarm);
    world_.reenable_notifications(now, alarm);
    if (resend_ && alarm < world_.scenario().horizon) world_.resend_batch(rule, day, alarm);
  }

  // Any vendor whose recent traffic came back without receipts (a failover may already
  // have moved traffic away: the loss it left behind still needs re-sending).
  void monitor_tick(SimTime now) override {
    if (now < quiet_until_) return;  // one alarm per collapse
    const ReceiptMonitor& monitor = world_.receipt_monitor();
    const SimTime to = now - World::kReceiptLag;
    bool collapsed = false;
    for (std::size_t v = 0; v < monitor.vendors(); ++v) {
      const double rate = monitor.rate(static_cast<int>(v), to - monitor.window, to, 50);
      collapsed = collapsed || (rate >= 0 && rate < monitor.threshold);
    }
    if (!collapsed) return;
    const SimTime alarm = now + detect_after_;
    world_.detected(alarm);
    world_.recovered(alarm);
    quiet_until_ = alarm + monitor.window;
    const Scenario& s = world_.scenario();
    if (alarm >= s.horizon) return;
    // The alarm also moves traffic to the backup vendor (it may already have moved).
    const SmsRouter& router = world_.router();
    if (router.secondary >= 0 && !router.failed_over) world_.fail_over(now);
    if (!resend_) return;
    // Re-send every batch of the last day whose reminders may have been lost; the World
    // skips borrowers who got theirs or have paid.
    const Population& p = world_.population();
    for (std::uint32_t r = 0; r < s.reminders.size(); ++r) {
      for (std::uint32_t d = 0; d < p.days(); ++d) {
        const ReminderRule& rule = s.reminders[r];
        const SimTime at = (static_cast<SimTime>(d) - rule.before_due_days) * kDay + rule.at;
        if (at >= now - kDay && at <= now && p.day_start[d] != p.day_start[d + 1])
          world_.resend_batch(r, d, alarm);
      }
    }
  }

 private:
  World& world_;
  SimTime detect_after_;
  bool resend_;
  SimTime quiet_until_ = 0;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<AnomalyMonitoring>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "anomaly_monitoring",
      .summary = "detect empty batches and receipt collapses; re-enable, fail over, re-send",
      .params = {{"detect_after", ParamKind::kDuration, "30m",
                  "from the first visible anomaly to the alarm"},
                 {"resend", ParamKind::kBoolean, "true", "re-send lost reminders after the alarm"}},
      .effect = "`detect_after` an empty batch or a receipt collapse: re-enable the notification "
                "module, trigger failover (if configured), re-send lost reminders to borrowers "
                "who still owe"},
     apply}};
}  // namespace

}  // namespace faultline
