// elastic_capacity: autoscaling of the app backend. When utilisation exceeds the target,
// capacity grows to carry the load at the target utilisation, up to max_factor times the
// base, after a reaction delay (detection plus instance start-up).
#include <algorithm>

#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class ElasticCapacity final : public Subscriber {
 public:
  ElasticCapacity(const ParamSet& p, World& world)
      : payments_(world.payments()),
        background_per_s_(world.scenario().payments.backend_background_per_s),
        max_factor_(p.number("max_factor")),
        reaction_(p.time("reaction")),
        target_(p.number("target_utilisation")) {
    if (!(max_factor_ >= 1))
      throw PluginError("max_factor: expected a multiplier >= 1", p.get("max_factor").loc);
    if (!(target_ > 0))
      throw PluginError("target_utilisation: must be above 0%", p.get("target_utilisation").loc);
    world.hooks().subscribe(Hook::kBackendCapacity, this);
  }

  double backend_capacity(SimTime t, double base) override {
    for (const LoadSurge& s : payments_.surges()) {
      if (t < s.start || t >= s.end) continue;
      // The autoscaler sees utilisation above target from the surge's start and adds
      // capacity after its reaction delay, up to max_factor.
      const double load = background_per_s_ * s.factor;
      if (load <= target_ * base || t < s.start + reaction_) return base;
      return std::min(base * max_factor_, load / target_);
    }
    return base;
  }

 private:
  const PaymentSystem& payments_;
  double background_per_s_;
  double max_factor_;
  SimTime reaction_;
  double target_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<ElasticCapacity>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "elastic_capacity",
      .summary = "autoscale the app backend after a reaction delay",
      .params = {{"max_factor", ParamKind::kNumber, "4",
                  "largest capacity as a multiple of payments.backend.capacity"},
                 {"reaction", ParamKind::kDuration, "10m", "from overload to added capacity"},
                 {"target_utilisation", ParamKind::kProbability, "70%",
                  "utilisation the autoscaler aims for"}},
      .effect = "`reaction` (10 min) after utilisation exceeds `target_utilisation` (70 %), "
                "capacity grows to carry the load at the target, up to `max_factor` (4×)"},
     apply}};
}  // namespace

}  // namespace faultline
