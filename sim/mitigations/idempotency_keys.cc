// idempotency_keys: the app sends one key per payment intent and the gateway refuses a
// second charge with the same key, so paying again after an unconfirmed payment charges
// nothing (duplicates_prevented counts the refusals). Calibration of the harm it
// removes: Cardnet 2018 debited just under 5 % of a day's transactions twice (press reports).
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet&, World& world) {
  world.payments().enable_idempotency();
}
}  // namespace

Plugin idempotency_keys_plugin() {
  return {{"idempotency_keys",
           "one key per payment intent: a repeated payment is refused, not charged twice",
           {}},
          apply};
}

}  // namespace faultline
