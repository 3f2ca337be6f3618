// vendor_outage: an SMS vendor stops delivering for a window. `reject` refuses messages at
// the API (the sender sees errors); `silent_drop` accepts and loses them without a word —
// the mortgage "SMS disappeared" pattern. Calibration: SMS API outages of 30 min to
// 2 h 41 min (Vonage 2021, TSG 2022, Messente 2019, Nexmo 2017 status pages).
#include "sim/faults/faults.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
void apply(const ParamSet& p, World& world) {
  const SimTime start = p.time("at");
  const OutageMode mode = p.text("mode") == "reject" ? OutageMode::kReject : OutageMode::kSilentDrop;
  world.vendor(p.text("target")).add_outage({start, start + p.time("duration"), mode});
}
}  // namespace

Plugin vendor_outage_plugin() {
  return {{"vendor_outage",
           "an SMS vendor rejects or silently drops every message for a window",
           {
               {"target", ParamKind::kVendor, "", "the vendor that fails"},
               {"at", ParamKind::kTimePoint, "", "when the outage starts, e.g. 12d 22:00"},
               {"duration", ParamKind::kDuration, "2h", "how long it lasts (incidents: 30m to 2h41m)"},
               {"mode", ParamKind::kChoice, "silent_drop",
                "reject: API errors; silent_drop: accepted and lost without an error", "reject|silent_drop"},
           }},
          apply};
}

}  // namespace faultline
