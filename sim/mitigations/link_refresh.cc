// link_refresh: a tapped link that has expired (or is unknown to a stale copy of the
// data) is re-issued on the spot instead of showing "this link has expired".
// link_expired_errors still counts the expired taps; the failures disappear.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class LinkRefresh final : public Subscriber {
 public:
  explicit LinkRefresh(World& world) { world.hooks().subscribe(Hook::kLinkExpired, this); }
  bool link_expired(std::uint32_t) override { return true; }  // re-issued on the spot
};

void apply(const PluginUse&, World& world) {
  world.attach(std::make_unique<LinkRefresh>(world));
}

const RegisterMitigation registered{
    {{.name = "link_refresh",
      .summary = "re-issue an expired payment link on tap instead of an error page",
      .params = {},
      .effect = "an expired or unknown link is re-issued on tap"},
     apply}};
}  // namespace

}  // namespace faultline
