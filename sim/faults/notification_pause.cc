// notification_pause: reminders are paused on purpose (a compliance review, a wording
// problem): batches in the window are not sent on the channel, and are either dropped or
// sent when the pause ends.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ScheduledFault& f, World& world) {
  int channel = -1;
  for (int c = 0; c < kChannelCount; ++c)
    if (kChannelNames[c] == f.params.text("channel")) channel = c;
  for (const Window& w : f.windows) world.pause_channel(channel, w, f.params.flag("resend"));
}

const RegisterFault registered{
    {{.name = "notification_pause",
      .summary = "reminders on a channel are paused for a window",
      .params = with_schedule(
          {{"channel", ParamKind::kChannel, "*", "the paused channel, or * for all"},
           {"resend", ParamKind::kBoolean, "false", "send the paused batches when the pause ends"}},
          "24h"),
      .effect = "a channel (or all) paused; batches dropped or sent at the end (`resend`)",
      .calibration = "assumption"},
     apply}};
}  // namespace

}  // namespace faultline
