// vendor_failover: route SMS to a secondary vendor when the primary fails. API rejections
// are retried on the secondary at once (a circuit breaker's view). Beyond that, the
// router only knows what its monitor sees: a health check every `interval` notices an API
// that rejects, but not one that silently drops; a receipt-rate monitor notices messages
// without delivery receipts over `window` (and can be fooled by lost receipts). After a
// receipt-rate failover a `probe_share` of traffic keeps going to the primary; the router
// fails back when those probes come back with receipts (a circuit breaker's half-open).
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  FailoverConfig c;
  c.secondary = world.vendor_index(p.text("secondary"));
  if (c.secondary == world.vendor_index(world.scenario().sms.primary))
    throw std::invalid_argument("the secondary must be a vendor other than the primary");
  c.detection = p.text("detect") == "health_check" ? Detection::kHealthCheck : Detection::kDlrRate;
  c.interval = p.time("interval");
  c.window = p.time("window");
  c.threshold = p.number("threshold");
  c.min_messages = static_cast<int>(p.number("min_messages"));
  c.probe_share = p.number("probe_share");
  c.failback = p.flag("failback");
  if (c.interval <= 0 || c.window <= 0)
    throw std::invalid_argument("interval and window must be longer than zero");
  world.enable_failover(c);
}
}  // namespace

Plugin vendor_failover_plugin() {
  return {
      {"vendor_failover",
       "switch SMS traffic to a secondary vendor when a monitor sees the primary fail",
       {
           {"secondary", ParamKind::kVendor, "", "the vendor to fail over to"},
           {"detect", ParamKind::kChoice, "dlr_rate",
            "health_check: the API answers errors; dlr_rate: delivery receipts stop coming back",
            "health_check|dlr_rate"},
           {"interval", ParamKind::kDuration, "1m", "how often the monitor checks"},
           {"window", ParamKind::kDuration, "15m", "dlr_rate: the window of sends judged"},
           {"threshold", ParamKind::kProbability, "30%",
            "dlr_rate: receipt rate below this = failing"},
           {"min_messages", ParamKind::kInteger, "50",
            "dlr_rate: fewer sends in the window = no verdict"},
           {"probe_share", ParamKind::kProbability, "5%",
            "dlr_rate: share of traffic still sent to the primary after a failover, to see it "
            "recover"},
           {"failback", ParamKind::kBoolean, "true", "return to the primary once it looks healthy"},
       }},
      apply};
}

}  // namespace faultline
