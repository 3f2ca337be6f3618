// core_cutover: a core-system upgrade disables the notification module (the mortgage "SMS
// disappeared" incident: test/prod data mismatch, ~48 h). Reminder batches go out empty
// from `at` until someone notices (`detected_after`), unless anomaly monitoring notices
// first; a staged cutover limits it to the canary share until rollback. On the payment
// side (`posting`) the new core cannot post payments for `duration` (down: attempts
// fail), or posts them without syncing to the app (unsynced: the app's data stops at the
// window's start — no new instalments, no confirmations — the car-loan incident).
// Calibration: TSB 2018 migration locked out ~1.9 M of 5.2 M customers (FCA 2022); the
// RBS 2012 batch-scheduler upgrade took 1–3+ weeks to clear (FCA 2014).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  const ParamSet& p = f.params;
  const std::string& posting = p.text("posting");
  for (const Window& w : f.windows) {
    if (p.flag("notifications"))
      world.disable_notifications(
          {w.start, w.start + std::max(p.time("detected_after"), w.end - w.start)});
    if (posting != "ok")
      world.payments().add_posting_outage({w.start, w.end, posting == "unsynced"});
  }
}

const RegisterFault registered{
    {{.name = "core_cutover",
      .summary = "a core upgrade disables the notification module until the problem is noticed",
      .params = with_schedule(
          {{"detected_after", ParamKind::kDuration, "48h",
            "when operations notice without monitoring (the incident: ~48 h)"},
           {"notifications", ParamKind::kBoolean, "true", "the notification module is disabled"},
           {"posting", ParamKind::kChoice, "ok",
            "payment side: ok; down: payments cannot be posted; unsynced: "
            "posted, not synced to the app",
            "ok|down|unsynced"}},
          "6h"),
      .effect = "the notification module is silent from `at` until `detected_after` (48 h); "
                "payment side: `posting: down` refuses payments, `posting: unsynced` posts "
                "them but freezes the app's data at the window's start; `notifications: false` "
                "leaves the reminders alone",
      .calibration = "mortgage incident ~48 h; TSB 2018, RBS 2012 (FCA — A)"},
     apply}};
}  // namespace

}  // namespace faultline
