// notification_pause: reminders are paused on purpose (a compliance review, a wording
// problem): batches in the window are not sent on the channel, and are either dropped or
// sent when the pause ends.
#include "sim/faults/faults.h"
#include "sim/faults/schedule.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  int channel = -1;
  for (int c = 0; c < kChannelCount; ++c)
    if (kChannelNames[c] == p.text("channel")) channel = c;
  for (const Window& w : world.fault_windows(p)) world.pause_channel(channel, w, p.flag("resend"));
}
}  // namespace

Plugin notification_pause_plugin() {
  return {{"notification_pause", "reminders on a channel are paused for a window",
           with_schedule({{"channel", ParamKind::kChannel, "*", "the paused channel, or * for all"},
                          {"resend", ParamKind::kBoolean, "false",
                           "send the paused batches when the pause ends"}},
                         "24h")},
          apply};
}

}  // namespace faultline
