// core_cutover: a core-system upgrade disables the notification module (the mortgage "SMS
// disappeared" incident: test/prod data mismatch, ~48 h). Reminder batches go out empty
// from `at` until someone notices (`detected_after`), unless anomaly monitoring notices
// first; a staged cutover limits it to the canary share until rollback.
// Calibration: TSB 2018 migration locked out ~1.9 M of 5.2 M customers (FCA 2022); the
// RBS 2012 batch-scheduler upgrade took 1–3+ weeks to clear (FCA 2014).
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  for (const Window& w : world.fault_windows(p))
    world.disable_notifications({w.start, w.start + std::max(p.time("detected_after"), w.end - w.start)});
}
}  // namespace

Plugin core_cutover_plugin() {
  return {{"core_cutover", "a core upgrade disables the notification module until the problem is noticed",
           with_schedule({{"detected_after", ParamKind::kDuration, "48h",
                           "when operations notice without monitoring (the incident: ~48 h)"}},
                         "6h")},
          apply};
}

}  // namespace faultline
