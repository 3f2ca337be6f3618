// cache_bug: a release stops invalidating the app's cache on write (or sets a long TTL),
// so a share of borrowers is served entries up to `ttl` old: a new instalment shows as
// "no information", a payment just made still shows as due (and invites paying again),
// a fresh reminder link is unknown ("this link has expired"). Calibration: Steam 2015
// served cached pages to ~34,000 users for ~90 min during a +2,000 % surge (vendor statement).
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  for (const Window& w : f.windows)
    world.payments().add_cache_bug({w.start, w.end, f.params.time("ttl"), f.params.number("share"),
                                    World::fault_salt(f.index)});
}

const RegisterFault registered{
    {{.name = "cache_bug",
      .summary = "the app's cache misses invalidations: stale balances, unconfirmed payments, "
                 "unknown links",
      .params = with_schedule(
          {{"share", ParamKind::kProbability, "30%", "of borrowers served from a stale entry"},
           {"ttl", ParamKind::kDuration, "24h", "how long a stale entry lives"}},
          "6h"),
      .effect = "missed invalidation: a `share` of borrowers see entries up to `ttl` (24 h) old "
                "— no instalment, no confirmation, unknown links",
      .calibration = "Steam 2015: cached pages served to ~34,000 users for ~90 min in a "
                     "+2,000 % surge (A/B)"},
     apply}};
}  // namespace

}  // namespace faultline
