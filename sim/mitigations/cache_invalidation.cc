// cache_invalidation: invalidate the app's cache on the borrower's own writes (the screen
// after paying is always fresh) and cap every entry's life at `ttl_cap`, which bounds a
// missed invalidation (cache_bug) to minutes instead of hours.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  world.payments().cap_cache_ttl(p.time("ttl_cap"));
}
}  // namespace

Plugin cache_invalidation_plugin() {
  return {{"cache_invalidation",
           "invalidate on write and cap cache entries' life",
           {{"ttl_cap", ParamKind::kDuration, "5m", "longest life of any cache entry"}}},
          apply};
}

}  // namespace faultline
