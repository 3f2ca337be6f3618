// notification_retry: re-send an SMS reminder that brought no delivery receipt within
// `timeout`, waiting `backoff` times longer each time, at most `max_retries` times.
// (`max_retries` was `max_attempts` until this release, although it never counted the
// first send as payments.retry.max_attempts does: the old key is still accepted.)
// A retry goes through the router, so it may take the secondary vendor after a failover.
#include <cmath>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class NotificationRetry final : public Subscriber {
 public:
  NotificationRetry(const ParamSet& p, World& world)
      : world_(world),
        max_retries_(static_cast<int>(p.number("max_retries"))),
        timeout_(p.time("timeout")),
        backoff_(p.number("backoff")) {
    if (max_retries_ < 0 || max_retries_ > 10)
      throw std::invalid_argument("max_retries must be 0 to 10");
    if (backoff_ < 1) throw std::invalid_argument("backoff must be at least 1");
    if (max_retries_ == 0) return;
    world.track_receipts();
    check_ = world.add_borrower_handler("retry_check", on_check, this);
    world.hooks().subscribe(Hook::kSmsSubmitted, this);
  }

  void sms_submitted(std::uint32_t borrower, MessageKey key) override {
    if (max_retries_ <= key.attempt || world_.now() + timeout_ >= world_.scenario().horizon) return;
    const double wait = static_cast<double>(timeout_) * std::pow(backoff_, key.attempt);
    world_.kernel().schedule_in(std::llround(wait), check_, borrower, key.packed());
  }

 private:
  static void on_check(void* self, Kernel&, const Event& e) {
    auto& r = *static_cast<NotificationRetry*>(self);
    const std::uint32_t i = e.target;
    const MessageKey key = MessageKey::unpack(e.arg);
    if (r.world_.receipt_seen(i, key.rule) || r.world_.settled(i)) return;
    ++r.world_.counters().sms_retries;
    r.world_.send_sms(
        i, MessageKey{key.rule, static_cast<std::uint8_t>(key.attempt + 1), Channel::sms});
  }

  World& world_;
  int max_retries_;  // re-sends after the first send
  SimTime timeout_;
  double backoff_;
  HandlerId check_ = 0;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<NotificationRetry>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "notification_retry",
      .summary = "re-send unconfirmed SMS reminders with exponential backoff",
      .params =
          {{"max_retries", ParamKind::kInteger, "2", "re-sends after the first send (0-10)"},
           {"timeout", ParamKind::kDuration, "1h", "wait for a receipt before the first re-send"},
           {"backoff", ParamKind::kNumber, "2", "each wait is this many times the previous one"}},
      .effect = "no receipt within `timeout` → re-send, waiting `backoff`× longer each time, "
                "at most `max_retries` times",
      .renamed = {{.key = "max_retries", .old_key = "max_attempts"}}},
     apply}};
}  // namespace

}  // namespace faultline
