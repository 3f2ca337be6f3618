// link_refresh: a tapped link that has expired (or is unknown to a stale copy of the
// data) is re-issued on the spot instead of showing "this link has expired".
// link_expired_errors still counts the expired taps; the failures disappear.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet&, World& world) {
  world.payments().enable_link_refresh();
}
}  // namespace

Plugin link_refresh_plugin() {
  return {{"link_refresh", "re-issue an expired payment link on tap instead of an error page", {}},
          apply};
}

}  // namespace faultline
