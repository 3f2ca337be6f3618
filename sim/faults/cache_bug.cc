// cache_bug: a release stops invalidating the app's cache on write (or sets a long TTL),
// so a share of borrowers is served entries up to `ttl` old: a new instalment shows as
// "no information", a payment just made still shows as due (and invites paying again),
// a fresh reminder link is unknown ("this link has expired"). Calibration: Steam 2015
// served cached pages to ~34,000 users for ~90 min during a +2,000 % surge (vendor statement).
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  for (const Window& w : world.fault_windows(p))
    world.payments().add_cache_bug(
        {w.start, w.end, p.time("ttl"), p.number("share"), world.fault_stream()});
}
}  // namespace

Plugin cache_bug_plugin() {
  return {
      {"cache_bug",
       "the app's cache misses invalidations: stale balances, unconfirmed payments, unknown links",
       with_schedule(
           {{"share", ParamKind::kProbability, "30%", "of borrowers served from a stale entry"},
            {"ttl", ParamKind::kDuration, "24h", "how long a stale entry lives"}},
           "6h")},
      apply};
}

}  // namespace faultline
