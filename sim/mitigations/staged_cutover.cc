// staged_cutover: move only a canary share of borrowers to the new core system first, and
// roll back when the alarm fires `rollback_after` the start: a core_cutover then silences
// the canary's reminders for that long instead of everyone's until someone notices.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class StagedCutover final : public Subscriber {
 public:
  StagedCutover(const ParamSet& p, World& world)
      : canary_(p.number("canary")),
        rollback_after_(p.time("rollback_after")),
        luck_(world.run_seed(), "plugins") {
    world.hooks().subscribe(Hook::kNewCore, this);
  }

  bool new_core(std::uint32_t borrower, SimTime start, SimTime t) override {
    if (t >= start + rollback_after_) return false;  // rolled back
    return canary_ >= 1.0 || luck_.bernoulli(canary_, borrower, 0x63616e617279ULL);
  }

 private:
  double canary_;
  SimTime rollback_after_;
  KeyedRandom luck_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<StagedCutover>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "staged_cutover",
      .summary = "cut over a canary share first; roll back on the alarm",
      .params =
          {{"canary", ParamKind::kProbability, "10%", "share of borrowers on the new system first"},
           {"rollback_after", ParamKind::kDuration, "2h", "time from the cutover to rollback"}},
      .effect = "a core cutover hits only the `canary` share, and only until `rollback_after`"},
     apply}};
}  // namespace

}  // namespace faultline
