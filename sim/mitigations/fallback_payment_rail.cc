// fallback_payment_rail: an attempt that the borrower's rail declines or errors on is
// routed once, at once, to another rail (e.g. quick-pay → card). The fallback rail's own
// declines and outages still apply.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class FallbackPaymentRail final : public Subscriber {
 public:
  FallbackPaymentRail(const ParamSet& p, World& world)
      : to_(world.rail_index(p.get("rail"))),
        from_(p.text("from") == "*" ? -1 : world.rail_index(p.get("from"))) {
    if (from_ == to_)
      throw PluginError("from: the fallback rail must differ from the rail it backs up",
                        p.get("from").loc);
    world.hooks().subscribe(Hook::kRailFailed, this);
  }
  int rail_failed(int rail) override {
    return (from_ < 0 || rail == from_) && rail != to_ ? to_ : -1;
  }

 private:
  int to_;
  int from_;  // -1: every other rail
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<FallbackPaymentRail>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "fallback_payment_rail",
      .summary = "route a failed attempt once to another payment rail",
      .params = {{"rail", ParamKind::kText, "",
                  "the rail to fall back to, declared under payments.rails"},
                 {"from", ParamKind::kText, "*", "the rail it backs up (* = every other rail)"}},
      .effect = "a failed attempt on `from` (any other rail) is tried once on `rail`"},
     apply}};
}  // namespace

}  // namespace faultline
