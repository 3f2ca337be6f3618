// The model's hooks: the typed points where a plug-in's object (a Subscriber) joins a run
// (after SimGrid's signals, which plug-ins such as link_load subscribe to). A plug-in
// subscribes to the hooks it needs when it is applied, keeps its own state, and acts
// through the World's narrow API; the model knows no plug-in by name.
//
// Cost: the model asks a hook only where it has subscribers. An empty hook is one
// branch on the hot path (`if (hooks.any(Hook::kX))`), so a run without the mitigation
// pays no virtual call per borrower or message; a subscribed hook is one virtual call.
//
// | hook | asked | a subscriber |
// |---|---|---|
// | kRouteMessage | an SMS reminder is about to go to a vendor | may send it on another channel |
// | kSmsVendor | an SMS is submitted | may pick another vendor than the router's |
// | kSmsRejected | a vendor's API refused an SMS | may name a vendor to retry on at once |
// | kSmsSubmitted | a vendor answered an SMS (any fate) | e.g. schedules a re-send check |
// | kMessageSent | a reminder went out on its channel | e.g. schedules a fallback |
// | kBatchSuppressed | a reminder batch went out (partly) empty | e.g. raises an alarm |
// | kMonitorTick | the operations monitor's clock ticks | judges receipt rates, fails over |
// | kPaymentAttempt | a payment attempt starts | counts it |
// | kPaymentFailed | a payment attempt failed | counts it |
// | kPaymentAdvice | the journey asks what the app tells the borrower | shows a banner |
// | kSecondFactor | an SMS one-time password did not arrive | may offer another factor |
// | kNewCore | a core cutover window covers a borrower | may keep the borrower on the old core |
// | kBackendCapacity | the app backend's capacity at t | may add capacity |
// | kCachePolicy | the app's cache serves an entry | may cap its life, refresh own writes |
// | kLinkExpired | a tapped reminder link has expired | may re-issue it |
// | kRailFailed | the borrower's payment rail failed | may name a rail to try once |
// | kDuplicateCharge | an obligation already paid is charged again | may refuse the charge |
// | kRunEnd | the run is over | checks its own invariants |
//
// Order: subscribers run in subscription order, except that a subscriber may ask to run
// later (`order`): at a monitor tick, routing (vendor_failover, order 0) judges before
// alarms (anomaly_monitoring, order 1), whatever order the strategy lists them in.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/kernel/time.h"
#include "sim/metrics/metrics.h"
#include "sim/model/message.h"

namespace faultline {

enum class Hook : std::uint8_t {
  kRouteMessage,
  kSmsVendor,
  kSmsRejected,
  kSmsSubmitted,
  kMessageSent,
  kBatchSuppressed,
  kMonitorTick,
  kPaymentAttempt,
  kPaymentFailed,
  kPaymentAdvice,
  kSecondFactor,
  kNewCore,
  kBackendCapacity,
  kCachePolicy,
  kLinkExpired,
  kRailFailed,
  kDuplicateCharge,
  kRunEnd,
  kCount
};
inline constexpr std::size_t kHookCount = static_cast<std::size_t>(Hook::kCount);

// What the app tells a borrower who is paying (status_announcement's banner).
struct PaymentAdvice {
  bool banner = false;
  SimTime wait = 0;              // with the banner, a failed borrower retries after this
  double retry_reduction = 0;    // fewer unconfirmed payments paid again
  double support_reduction = 0;  // fewer support contacts after giving up
};

// How the app's cache treats entries (cache_invalidation).
struct CachePolicy {
  bool own_writes_fresh = false;  // the borrower's own payment invalidates the entry
  SimTime ttl_cap = kTimeNever;   // no entry lives longer than this
};

// A plug-in's object in one run. Each method answers one hook; the defaults change
// nothing, so a subscriber overrides only the hooks it subscribes to.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // kRouteMessage: the channel to send `key` on instead of SMS (key.channel: no change).
  virtual Channel route_message(std::uint32_t borrower, MessageKey key) {
    (void)borrower;
    return key.channel;
  }
  // kSmsVendor: the vendor to submit to, given the router's choice.
  virtual int sms_vendor(std::uint32_t borrower, MessageKey key, int routed) {
    (void)borrower, (void)key;
    return routed;
  }
  // kSmsRejected: a vendor to retry on at once, or -1.
  virtual int sms_rejected(std::uint32_t borrower, MessageKey key, int vendor) {
    (void)borrower, (void)key, (void)vendor;
    return -1;
  }
  virtual void sms_submitted(std::uint32_t borrower, MessageKey key) { (void)borrower, (void)key; }
  virtual void message_sent(std::uint32_t borrower, MessageKey key) { (void)borrower, (void)key; }
  virtual void batch_suppressed(std::uint32_t rule, std::uint32_t day) { (void)rule, (void)day; }
  virtual void monitor_tick(SimTime now) { (void)now; }
  virtual void payment_attempt(std::uint32_t borrower, bool repay) { (void)borrower, (void)repay; }
  virtual void payment_failed(std::uint32_t borrower, PaymentFailure cause) {
    (void)borrower, (void)cause;
  }
  virtual void payment_advice(SimTime t, PaymentAdvice& advice) { (void)t, (void)advice; }
  virtual bool second_factor(std::uint32_t borrower) {
    (void)borrower;
    return false;
  }
  // kNewCore: whether the cutover that started at `start` has moved the borrower at t.
  virtual bool new_core(std::uint32_t borrower, SimTime start, SimTime t) {
    (void)borrower, (void)start, (void)t;
    return true;
  }
  virtual double backend_capacity(SimTime t, double capacity_per_s) {
    (void)t;
    return capacity_per_s;
  }
  virtual void cache_policy(CachePolicy& policy) { (void)policy; }
  virtual bool link_expired(std::uint32_t borrower) {  // true: re-issued
    (void)borrower;
    return false;
  }
  virtual int rail_failed(int rail) {  // a rail to try once, or -1
    (void)rail;
    return -1;
  }
  virtual bool duplicate_charge(std::uint32_t borrower) {  // true: refused
    (void)borrower;
    return false;
  }
  virtual void run_end(const Counters& counters) { (void)counters; }
};

class Hooks {
 public:
  void subscribe(Hook hook, Subscriber* subscriber, int order = 0);
  bool any(Hook hook) const { return !lists_[static_cast<std::size_t>(hook)].empty(); }
  const std::vector<Subscriber*>& operator[](Hook hook) const {
    return lists_[static_cast<std::size_t>(hook)];
  }

  // The hooks the hot paths ask (per message, per payment attempt), dispatched out of
  // line: a caller writes `if (hooks.any(H)) [[unlikely]] hooks.emit_...(...)` and keeps
  // only that branch in its own code, so what the compiler inlines stays as small as
  // before the hooks existed (callgrind: docs/performance.md, issue 12).
  [[gnu::cold]] void emit_message_sent(std::uint32_t borrower, MessageKey key) const;
  [[gnu::cold]] int emit_sms_vendor(std::uint32_t borrower, MessageKey key, int routed) const;
  [[gnu::cold]] void emit_sms_submitted(std::uint32_t borrower, MessageKey key) const;
  [[gnu::cold]] void emit_payment_attempt(std::uint32_t borrower, bool repay) const;
  [[gnu::cold]] void emit_payment_failed(std::uint32_t borrower, PaymentFailure cause) const;
  [[gnu::cold]] void emit_payment_advice(SimTime t, PaymentAdvice& advice) const;
  [[gnu::cold]] double emit_backend_capacity(SimTime t, double capacity_per_s) const;
  [[gnu::cold]] CachePolicy emit_cache_policy() const;
  [[gnu::cold]] bool emit_duplicate_charge(std::uint32_t borrower) const;

 private:
  std::array<std::vector<Subscriber*>, kHookCount> lists_;
  std::array<std::vector<int>, kHookCount> orders_;
};

}  // namespace faultline
