// link_outage: a network link is down for a window — a fibre cut, a failed router, a VPN
// tunnel that drops. The SimGrid engine applies it as the link's state profile (off at
// `at`, on at `at + duration`): transfers crossing the link when it fails, or starting
// while it is down, are lost (sim/engines/simgrid/platform.cc). Network-level: the native
// engine has no links and rejects it ("needs engine: simgrid").
// Calibration: WAN/MPLS circuit outages are typically minutes to a few hours.
#include "sim/model/registry.h"

namespace faultline {

namespace {
const RegisterFault registered{
    {{.name = "link_outage",
      .summary = "a network link is down for a window (engine: simgrid)",
      .params = {{"target", ParamKind::kText, "",
                  "the link: a name under infrastructure.network.links, a default "
                  "link (backbone, or a host's access link such as core), or a "
                  "link of the platform file"},
                 {"at", ParamKind::kTimePoint, "", "when the link goes down, e.g. 12d 09:00"},
                 {"duration", ParamKind::kDuration, "1h", "how long it stays down"}},
      .effect = "the link is off for the window: transfers crossing it, or starting while it "
                "is down, are lost",
      .calibration = "WAN/MPLS circuit outages: minutes to a few hours",
      .network = true}}};
}  // namespace

}  // namespace faultline
