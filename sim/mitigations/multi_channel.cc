// multi_channel: when an SMS reminder brings no delivery receipt within `after`, send it
// on the next reachable channel of the chain (push, e-mail, in-app) — or, with
// `parallel`, on all of them at once (more reach, more messages, duplicates).
#include "sim/mitigations/mitigations.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  FallbackConfig c;
  for (const std::string& name : split_list(p.text("fallback")))
    for (int ch = 0; ch < kChannelCount; ++ch)
      if (kChannelNames[ch] == name) c.chain.push_back(static_cast<Channel>(ch));
  c.after = p.time("after");
  c.parallel = p.flag("parallel");
  world.enable_fallback(c);
}
}  // namespace

Plugin multi_channel_plugin() {
  return {{"multi_channel",
           "fall back to other channels when a reminder is not confirmed delivered",
           {
               {"fallback", ParamKind::kChannelList, "",
                "channels to try in order, e.g. [push, email]"},
               {"after", ParamKind::kDuration, "2h",
                "wait this long for a delivery receipt before the next channel"},
               {"parallel", ParamKind::kBoolean, "false", "send on every channel at once instead"},
           }},
          apply};
}

}  // namespace faultline
