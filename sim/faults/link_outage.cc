// link_outage: a network link is down for a window — a fibre cut, a failed router, a VPN
// tunnel that drops. The SimGrid engine applies it as the link's state profile (off at
// `at`, on at `at + duration`): transfers crossing the link when it fails, or starting
// while it is down, are lost (sim/engines/simgrid/platform.cc). Network-level: the native
// engine has no links and rejects it (network_parser.cc: "needs engine: simgrid").
// Calibration: WAN/MPLS circuit outages are typically minutes to a few hours.
#include "sim/faults/faults.h"

namespace faultline {

namespace {
// Nothing to change in the World: the fault lives in the SimGrid platform.
void apply(const ParamSet&, World&) {}
}  // namespace

Plugin link_outage_plugin() {
  return {{"link_outage",
           "a network link is down for a window (engine: simgrid)",
           {
               {"target", ParamKind::kText, "",
                "the link: a name under infrastructure.network.links, a default "
                "link (backbone, or a host's access link such as core), or a "
                "link of the platform file"},
               {"at", ParamKind::kTimePoint, "", "when the link goes down, e.g. 12d 09:00"},
               {"duration", ParamKind::kDuration, "1h", "how long it stays down"},
           }},
          apply};
}

}  // namespace faultline
