// notification_retry: re-send an SMS reminder that brought no delivery receipt within
// `timeout`, waiting `backoff` times longer each time, at most `max_attempts` times.
// A retry goes through the router, so it may take the secondary vendor after a failover.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  RetryConfig c;
  c.max_attempts = static_cast<int>(p.number("max_attempts"));
  c.timeout = p.time("timeout");
  c.backoff = p.number("backoff");
  if (c.max_attempts < 0 || c.max_attempts > 10)
    throw std::invalid_argument("max_attempts must be 0 to 10");
  if (c.backoff < 1) throw std::invalid_argument("backoff must be at least 1");
  world.enable_retry(c);
}
}  // namespace

Plugin notification_retry_plugin() {
  return {
      {"notification_retry",
       "re-send unconfirmed SMS reminders with exponential backoff",
       {
           {"max_attempts", ParamKind::kInteger, "2", "re-sends after the first attempt (0-10)"},
           {"timeout", ParamKind::kDuration, "1h", "wait for a receipt before the first re-send"},
           {"backoff", ParamKind::kNumber, "2", "each wait is this many times the previous one"},
       }},
      apply};
}

}  // namespace faultline
