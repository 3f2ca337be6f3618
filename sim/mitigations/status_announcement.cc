// status_announcement: an in-app banner ("payments are delayed; your payment is safe, do
// not pay again; try again later"). Operations publish it `publish_delay` after the share
// of payment attempts in trouble (failed, or a second payment of the same obligation)
// over the last `window` crosses `threshold` — a signal they can see, not the fault
// schedule. While it shows, failed borrowers come back after `wait` instead of at once,
// fewer pay an unconfirmed payment again, and fewer call support.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  if (p.time("window") < kMinute)
    throw PluginError("window: expected at least 1m", p.get("window").loc);
  AnnouncementConfig c;
  c.enabled = true;
  c.threshold = p.number("threshold");
  c.window = p.time("window");
  c.min_attempts = static_cast<int>(p.number("min_attempts"));
  c.publish_delay = p.time("publish_delay");
  c.wait = p.time("wait");
  c.retry_reduction = p.number("retry_reduction");
  c.support_reduction = p.number("support_reduction");
  world.payments().enable_announcement(c);
}
}  // namespace

Plugin status_announcement_plugin() {
  return {{"status_announcement",
           "in-app incident banner: fewer blind retries, double payments and support calls",
           {{"threshold", ParamKind::kProbability, "20%",
             "share of attempts in trouble that raises the banner"},
            {"window", ParamKind::kDuration, "30m", "the signal's sliding window"},
            {"min_attempts", ParamKind::kInteger, "10", "fewer attempts in the window: no verdict"},
            {"publish_delay", ParamKind::kDuration, "15m", "from the signal to the banner"},
            {"wait", ParamKind::kDuration, "2h",
             "with the banner, a failed borrower retries after at least this"},
            {"retry_reduction", ParamKind::kProbability, "80%",
             "fewer unconfirmed payments paid again"},
            {"support_reduction", ParamKind::kProbability, "70%",
             "fewer support contacts after giving up"}}},
          apply};
}

}  // namespace faultline
