// carrier_status_routing: look up each number's status with the carrier (HLR lookup) and
// send reminders for suspended numbers on another channel instead of SMS. The lookup data
// is `lookup_lag` old, so fresh suspensions slip through.
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  Channel fallback = Channel::push;
  for (int c = 0; c < kChannelCount; ++c)
    if (kChannelNames[c] == p.text("fallback")) fallback = static_cast<Channel>(c);
  if (fallback == Channel::sms)
    throw std::invalid_argument("the fallback must be a channel other than sms");
  world.enable_carrier_status_routing(fallback, p.time("lookup_lag"));
}
}  // namespace

Plugin carrier_status_routing_plugin() {
  return {{"carrier_status_routing",
           "skip SMS for numbers the carrier reports suspended; use another channel",
           {
               {"fallback", ParamKind::kChannel, "",
                "the channel used instead of SMS (push, email or in_app)"},
               {"lookup_lag", ParamKind::kDuration, "1d", "age of the carrier status data"},
           }},
          apply};
}

}  // namespace faultline
