// vendor_failover: route reminders to a secondary vendor when the primary fails. API
// rejections are seen at once and retried on the secondary; a silent outage is only
// noticed `detect` after it starts (the monitoring delay), and traffic fails back
// `detect` after it ends. Messages the primary accepted before detection stay lost.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  world.enable_failover(p.text("secondary"), p.time("detect"), p.flag("failback"));
}
}  // namespace

Plugin vendor_failover_plugin() {
  return {{"vendor_failover",
           "switch SMS traffic to a secondary vendor when the primary fails",
           {
               {"secondary", ParamKind::kVendor, "", "the vendor to fail over to"},
               {"detect", ParamKind::kDuration, "15m", "time to notice a silent outage"},
               {"failback", ParamKind::kBoolean, "true", "return to the primary once it recovers"},
           }},
          apply};
}

}  // namespace faultline
