// link_outage: a network link is down for a window — a fibre cut, a failed router, a VPN
// tunnel that drops. The SimGrid engine applies it as the link's state profile (off at
// each window's start, on at its end): transfers crossing the link when it fails, or
// starting while it is down, are lost (sim/engines/simgrid/platform.cc). Network-level:
// the native engine has no links and rejects it ("needs engine: simgrid").
// Calibration: WAN/MPLS circuit outages are typically minutes to a few hours.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/network_plan.h"

namespace faultline {

namespace {
void plan(const ScheduledFault& f, NetworkPlan& plan) {
  for (const Window& w : f.windows)
    plan.links.push_back({NetworkPlan::LinkWindow::kDown, f.target, w, 0, {f.type, f.loc}});
}

void validate(const PluginUse& use, const Scenario& s, const std::string& file) {
  require_link(use, "target", s, file);
}

const RegisterFault registered{
    {{.name = "link_outage",
      .summary = "a network link is down for a window (engine: simgrid)",
      .params = with_schedule({{"target", ParamKind::kText, "",
                                "the link: a name under infrastructure.network.links, a default "
                                "link (backbone, or a host's access link such as core), or a "
                                "link of the platform file"}},
                              "1h"),
      .effect = "the link is off for the window: transfers crossing it, or starting while it "
                "is down, are lost",
      .calibration = "WAN/MPLS circuit outages: minutes to a few hours",
      .network = true,
      .validate = validate},
     nullptr,
     plan}};
}  // namespace

}  // namespace faultline
