// status_announcement: an in-app banner ("payments are delayed; your payment is safe, do
// not pay again; try again later"). Operations publish it `publish_delay` after the share
// of payment attempts in trouble (failed, or a second payment of the same obligation)
// over the last `window` crosses `threshold` — a signal they can see, not the fault
// schedule. While it shows, failed borrowers come back after `wait` instead of at once,
// fewer pay an unconfirmed payment again, and fewer call support.
#include <algorithm>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class StatusAnnouncement final : public Subscriber {
 public:
  StatusAnnouncement(const ParamSet& p, World& world)
      : world_(world),
        threshold_(p.number("threshold")),
        window_(p.time("window")),
        min_attempts_(static_cast<int>(p.number("min_attempts"))),
        publish_delay_(p.time("publish_delay")) {
    if (window_ < kMinute) throw PluginError("window: expected at least 1m", p.get("window").loc);
    shown_ = {true, p.time("wait"), p.number("retry_reduction"), p.number("support_reduction")};
    attempts_.assign(static_cast<std::size_t>(world.scenario().horizon / kMinute + 1), 0);
    trouble_ = attempts_;
    Hooks& hooks = world.hooks();
    hooks.subscribe(Hook::kPaymentAttempt, this);
    hooks.subscribe(Hook::kPaymentFailed, this);
    hooks.subscribe(Hook::kPaymentAdvice, this);
  }

  // The signal: attempts per minute, and those in trouble (a failure, or paying twice).
  void payment_attempt(std::uint32_t, bool repay) override {
    const auto m = static_cast<std::size_t>(world_.now() / kMinute);
    ++attempts_[m];
    if (repay) ++trouble_[m];
  }
  void payment_failed(std::uint32_t, PaymentFailure) override {
    ++trouble_[static_cast<std::size_t>(world_.now() / kMinute)];
  }

  // Operations publish the banner publish_delay after the signal crosses the threshold,
  // and take it down as it falls back.
  void payment_advice(SimTime t, PaymentAdvice& advice) override {
    const SimTime seen = t - publish_delay_;
    if (seen < 0) return;
    const auto last = static_cast<std::size_t>(seen / kMinute);
    const std::size_t span = static_cast<std::size_t>(std::max<SimTime>(1, window_ / kMinute));
    const std::size_t first = last + 1 >= span ? last + 1 - span : 0;
    std::uint64_t attempts = 0, trouble = 0;
    for (std::size_t m = first; m <= last; ++m) attempts += attempts_[m], trouble += trouble_[m];
    if (attempts >= static_cast<std::uint64_t>(min_attempts_) &&
        static_cast<double>(trouble) >= threshold_ * static_cast<double>(attempts))
      advice = shown_;
  }

 private:
  World& world_;
  double threshold_;
  SimTime window_;
  int min_attempts_;
  SimTime publish_delay_;
  PaymentAdvice shown_;  // what the banner tells borrowers
  std::vector<std::uint32_t> attempts_, trouble_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<StatusAnnouncement>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "status_announcement",
      .summary = "in-app incident banner: fewer blind retries, double payments and support calls",
      .params = {{"threshold", ParamKind::kProbability, "20%",
                  "share of attempts in trouble that raises the banner"},
                 {"window", ParamKind::kDuration, "30m", "the signal's sliding window"},
                 {"min_attempts", ParamKind::kInteger, "10",
                  "fewer attempts in the window: no verdict"},
                 {"publish_delay", ParamKind::kDuration, "15m", "from the signal to the banner"},
                 {"wait", ParamKind::kDuration, "2h",
                  "with the banner, a failed borrower retries after at least this"},
                 {"retry_reduction", ParamKind::kProbability, "80%",
                  "fewer unconfirmed payments paid again"},
                 {"support_reduction", ParamKind::kProbability, "70%",
                  "fewer support contacts after giving up"}},
      .effect = "operations see the share of attempts in trouble (failed, or a second payment) "
                "over `window`; `publish_delay` after it crosses `threshold` an in-app banner "
                "shows: failed borrowers retry after at least `wait`, `retry_reduction` fewer "
                "pay an unconfirmed payment again, `support_reduction` fewer contact support"},
     apply}};
}  // namespace

}  // namespace faultline
