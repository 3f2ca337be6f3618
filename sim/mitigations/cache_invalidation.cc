// cache_invalidation: invalidate the app's cache on the borrower's own writes (the screen
// after paying is always fresh) and cap every entry's life at `ttl_cap`, which bounds a
// missed invalidation (cache_bug) to minutes instead of hours.
#include <algorithm>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class CacheInvalidation final : public Subscriber {
 public:
  CacheInvalidation(const ParamSet& p, World& world) : ttl_cap_(p.time("ttl_cap")) {
    world.hooks().subscribe(Hook::kCachePolicy, this);
  }
  void cache_policy(CachePolicy& policy) override {
    policy.own_writes_fresh = true;
    policy.ttl_cap = std::min(policy.ttl_cap, ttl_cap_);
  }

 private:
  SimTime ttl_cap_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<CacheInvalidation>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "cache_invalidation",
      .summary = "invalidate on write and cap cache entries' life",
      .params = {{"ttl_cap", ParamKind::kDuration, "5m", "longest life of any cache entry"}},
      .effect = "own writes invalidate the cache; every entry lives at most `ttl_cap` (5 min)"},
     apply}};
}  // namespace

}  // namespace faultline
