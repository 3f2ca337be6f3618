// dedicated_link: the reminder batch export core → notification gets its own link, so
// nothing else shares it; bulk transfers keep the shared route. The SimGrid engine routes
// the core – notification pair over a new link (sim/engines/simgrid/platform.cc).
// Network-level: the native engine rejects it.
#include "sim/model/registry.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/network_plan.h"

namespace faultline {

namespace {
void plan(const PluginUse& use, NetworkPlan& plan) {
  plan.batch_link =
      NetworkPlan::DedicatedLink{parse_bandwidth(use.params.text("bandwidth")).value(),
                                 use.params.time("latency"),
                                 {use.type, use.loc}};
}

void validate(const PluginUse& use, const Scenario&, const std::string& file) {
  require_parses(use, "bandwidth", parse_bandwidth, file);
}

const RegisterMitigation registered{
    {{.name = "dedicated_link",
      .summary = "a link of its own for the batch export core → notification (engine: simgrid)",
      .params = {{"bandwidth", ParamKind::kText, "1Gbps", "the dedicated link's bandwidth"},
                 {"latency", ParamKind::kDuration, "1ms", "its latency"}},
      .effect = "the batch export core → notification gets a link of its own; bulk transfers "
                "keep the shared route",
      .network = true,
      .validate = validate},
     nullptr,
     plan}};
}  // namespace

}  // namespace faultline
