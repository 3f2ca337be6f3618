// anomaly_monitoring: watch the pipeline's volumes and receipt rates; `detect_after` an
// anomaly shows (an expected reminder batch that goes out empty, receipts that stop
// coming back), raise the alarm: re-enable a silenced notification module, move SMS to
// the secondary vendor if vendor_failover is configured, and re-send the reminders that
// were lost to borrowers who still owe.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  MonitoringConfig c;
  c.enabled = true;
  c.detect_after = p.time("detect_after");
  c.resend = p.flag("resend");
  world.enable_monitoring(c);
}
}  // namespace

Plugin anomaly_monitoring_plugin() {
  return {{"anomaly_monitoring",
           "detect empty batches and receipt collapses; re-enable, fail over, re-send",
           {{"detect_after", ParamKind::kDuration, "30m",
             "from the first visible anomaly to the alarm"},
            {"resend", ParamKind::kBoolean, "true", "re-send lost reminders after the alarm"}}},
          apply};
}

}  // namespace faultline
