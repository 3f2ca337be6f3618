// link_degradation: a link keeps working at a fraction of its bandwidth for a window —
// congestion from outside the scenario, a failover to a backup circuit. The SimGrid engine
// applies it as the link's bandwidth profile (a factor in (0, 1]; overlapping windows:
// the smallest). Network-level: the native engine rejects it.
#include "sim/faults/schedule.h"
#include "sim/model/registry.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/network_plan.h"

namespace faultline {

namespace {
void plan(const ScheduledFault& f, NetworkPlan& plan) {
  for (const Window& w : f.windows)
    plan.links.push_back({NetworkPlan::LinkWindow::kSlow,
                          f.target,
                          w,
                          f.params.number("bandwidth"),
                          {f.type, f.loc}});
}

void validate(const PluginUse& use, const Scenario& s, const std::string& file) {
  require_link(use, "target", s, file);
}

const RegisterFault registered{
    {{.name = "link_degradation",
      .summary =
          "a network link runs at a fraction of its bandwidth for a window (engine: simgrid)",
      .params = with_schedule({{"target", ParamKind::kText, "", "the link (as for link_outage)"},
                               {"bandwidth", ParamKind::kProbability, "10%",
                                "the share of the nominal bandwidth left"}},
                              "1h"),
      .effect = "the link runs at `bandwidth` of its nominal bandwidth for the window",
      .calibration = "assumption",
      .network = true,
      .validate = validate},
     nullptr,
     plan}};
}  // namespace

}  // namespace faultline
