// carrier_status_routing: look up each number's status with the carrier (HLR lookup) and
// send reminders for suspended numbers on another channel instead of SMS. The lookup data
// is `lookup_lag` old, so fresh suspensions slip through.
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
class CarrierStatusRouting final : public Subscriber {
 public:
  CarrierStatusRouting(const ParamSet& p, World& world)
      : world_(world), lookup_lag_(p.time("lookup_lag")) {
    for (int c = 0; c < kChannelCount; ++c)
      if (kChannelNames[c] == p.text("fallback")) fallback_ = static_cast<Channel>(c);
    if (fallback_ == Channel::sms)
      throw std::invalid_argument("the fallback must be a channel other than sms");
    world.hooks().subscribe(Hook::kRouteMessage, this);
  }

  Channel route_message(std::uint32_t borrower, MessageKey key) override {
    // Numbers the lookup knows to be suspended skip SMS.
    CarrierNetwork& carriers = world_.carriers();
    if (carriers.has_suspensions() &&
        carriers.suspended(borrower, world_.population().carrier[borrower],
                           world_.now() - lookup_lag_) &&
        world_.channels().reachable(fallback_, borrower))
      return fallback_;
    return key.channel;
  }

 private:
  World& world_;
  Channel fallback_ = Channel::push;
  SimTime lookup_lag_;
};

void apply(const PluginUse& use, World& world) {
  world.attach(std::make_unique<CarrierStatusRouting>(use.params, world));
}

const RegisterMitigation registered{
    {{.name = "carrier_status_routing",
      .summary = "skip SMS for numbers the carrier reports suspended; use another channel",
      .params = {{"fallback", ParamKind::kChannel, "",
                  "the channel used instead of SMS (push, email or in_app)"},
                 {"lookup_lag", ParamKind::kDuration, "1d", "age of the carrier status data"}},
      .effect = "numbers suspended according to carrier data `lookup_lag` old get the "
                "`fallback` channel instead of SMS"},
     apply}};
}  // namespace

}  // namespace faultline
