// vendor_failover: route SMS to a secondary vendor when the primary fails. API rejections
// are retried on the secondary at once (a circuit breaker's view). Beyond that, the
// router only knows what its monitor sees: a health check every `interval` notices an API
// that rejects, but not one that silently drops; a receipt-rate monitor notices messages
// without delivery receipts over `window` (and can be fooled by lost receipts). After a
// receipt-rate failover a `probe_share` of traffic keeps going to the primary; the router
// fails back when those probes come back with receipts (a circuit breaker's half-open).
#include <algorithm>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class VendorFailover final : public Subscriber {
 public:
  VendorFailover(const ParamSet& p, World& world)
      : world_(world),
        health_check_(p.text("detect") == "health_check"),
        min_messages_(static_cast<int>(p.number("min_messages"))),
        probe_share_(p.number("probe_share")),
        failback_(p.flag("failback")),
        luck_(world.run_seed(), "plugins") {
    SmsRouter& router = world.router();
    router.secondary = world.vendor_index(p.text("secondary"));
    if (router.secondary == router.primary)
      throw std::invalid_argument("the secondary must be a vendor other than the primary");
    if (p.time("interval") <= 0 || p.time("window") <= 0)
      throw std::invalid_argument("interval and window must be longer than zero");
    // The monitor ticks, and judges receipts, at this mitigation's settings.
    ReceiptMonitor& monitor = world.receipt_monitor();
    monitor.interval = p.time("interval");
    monitor.window = p.time("window");
    monitor.threshold = p.number("threshold");
    Hooks& hooks = world.hooks();
    hooks.subscribe(Hook::kSmsVendor, this);
    hooks.subscribe(Hook::kSmsRejected, this);
    hooks.subscribe(Hook::kMonitorTick, this, 0);  // routing judges before alarms
  }

  int sms_vendor(std::uint32_t borrower, MessageKey key, int routed) override {
    // After a receipt-rate failover a small share of traffic keeps probing the primary.
    const int primary = world_.router().primary;
    if (routed != primary && !health_check_ && failback_ &&
        luck_.bernoulli(probe_share_, borrower, key.packed() | 0x70726f6265000000ULL))
      return primary;
    return routed;
  }

  int sms_rejected(std::uint32_t, MessageKey, int vendor) override {
    const SmsRouter& router = world_.router();
    return vendor == router.primary ? router.secondary : -1;
  }

  void monitor_tick(SimTime now) override {
    const SmsRouter& router = world_.router();
    if (health_check_) {
      const bool down = world_.vendor(router.primary).rejecting_at(now);
      if (down && !router.failed_over) {
        world_.fail_over(now);
        world_.detected(now);
        world_.recovered(now);
      } else if (!down && router.failed_over && failback_) {
        world_.fail_back(now);
      }
      return;
    }
    const ReceiptMonitor& monitor = world_.receipt_monitor();
    const SimTime to = now - World::kReceiptLag;
    // Judge only sends after the last switch.
    const SimTime from = std::max(to - monitor.window, router.switched_at);
    if (router.failed_over) {
      if (!failback_) return;
      // Only probes reach the primary now: judge them, with a proportionally smaller quorum.
      const int quorum = std::max(5, static_cast<int>(min_messages_ * probe_share_));
      if (monitor.rate(router.primary, from, to, quorum) >= monitor.threshold)
        world_.fail_back(now);
      return;
    }
    const double rate = monitor.rate(router.primary, from, to, min_messages_);
    if (rate >= 0 && rate < monitor.threshold) {
      world_.fail_over(now);
      world_.detected(now);
      world_.recovered(now);
    }
  }

 private:
  World& world_;
  bool health_check_;
  int min_messages_;
  double probe_share_;
  bool failback_;
  KeyedRandom luck_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<VendorFailover>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "vendor_failover",
      .summary = "switch SMS traffic to a secondary vendor when a monitor sees the primary fail",
      .params =
          {{"secondary", ParamKind::kVendor, "", "the vendor to fail over to"},
           {"detect", ParamKind::kChoice, "receipt_rate",
            "health_check: the API answers errors; receipt_rate: delivery receipts stop coming "
            "back",
            "health_check|receipt_rate"},
           {"interval", ParamKind::kDuration, "1m", "how often the monitor checks"},
           {"window", ParamKind::kDuration, "15m", "receipt_rate: the window of sends judged"},
           {"threshold", ParamKind::kProbability, "30%",
            "receipt_rate: receipt rate below this = failing"},
           {"min_messages", ParamKind::kInteger, "50",
            "receipt_rate: fewer sends in the window = no verdict"},
           {"probe_share", ParamKind::kProbability, "5%",
            "receipt_rate: share of traffic still sent to the primary after a failover, to see "
            "it recover"},
           {"failback", ParamKind::kBoolean, "true",
            "return to the primary once it looks healthy"}},
      .effect = "rejections retried on the `secondary` at once; `detect: health_check` or "
                "`receipt_rate` moves all traffic; after a receipt-rate failover `probe_share` "
                "(5 %) keeps probing the primary and traffic fails back when probes come back "
                "with receipts",
      .renamed = {{.key = "detect", .old_value = "dlr_rate", .new_value = "receipt_rate"}}},
     apply}};
}  // namespace

}  // namespace faultline
