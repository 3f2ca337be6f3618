// toy_redo: a mitigation added from this one file (tests/unit/plugin_toy_test.cc): it
// subscribes to the batch-suppressed hook and runs a suppressed batch again `after` later.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {
namespace {

class ToyRedo final : public Subscriber {
 public:
  ToyRedo(const ParamSet& p, World& world) : world_(world), after_(p.time("after")) {
    world.hooks().subscribe(Hook::kBatchSuppressed, this);
  }
  void batch_suppressed(std::uint32_t rule, std::uint32_t day) override {
    ++redone;
    world_.resend_batch(rule, day, world_.now() + after_);
  }
  int redone = 0;

 private:
  World& world_;
  SimTime after_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<ToyRedo>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "toy_redo",
      .summary = "run a suppressed reminder batch again later (a test's toy)",
      .params = {{"after", ParamKind::kDuration, "3h", "how much later"}},
      .effect = "a suppressed batch runs again `after` later"},
     apply}};

}  // namespace
}  // namespace faultline
