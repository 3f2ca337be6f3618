// idempotency_keys: the app sends one key per payment intent and the gateway refuses a
// second charge with the same key, so paying again after an unconfirmed payment charges
// nothing (duplicates_prevented counts the refusals). Calibration of the harm it
// removes: Cardnet 2018 debited just under 5 % of a day's transactions twice (press reports).
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class IdempotencyKeys final : public Subscriber {
 public:
  explicit IdempotencyKeys(World& world) : world_(world) {
    world.hooks().subscribe(Hook::kDuplicateCharge, this);
    world.hooks().subscribe(Hook::kRunEnd, this);
  }
  // Same payment intent, same key: the gateway refuses it.
  bool duplicate_charge(std::uint32_t) override { return true; }
  void run_end(const Counters& c) override {
    world_.require(c.duplicate_charges == 0, "idempotency keys leave no duplicate charge");
  }

 private:
  World& world_;
};

void apply(const PluginUse&, World& world) {
  world.attach(std::make_unique<IdempotencyKeys>(world));
}

const RegisterMitigation registered{
    {{.name = "idempotency_keys",
      .summary = "one key per payment intent: a repeated payment is refused, not charged twice",
      .params = {},
      .effect = "a second payment of a paid obligation is refused, not charged"},
     apply}};
}  // namespace

}  // namespace faultline
