// rate_limit_export: the cutover's bulk replay is throttled to `rate` (a token bucket on
// the replay host), so the reminder batch keeps the rest of the shared link. The SimGrid
// engine puts a link of bandwidth `rate` in front of every bulk_transfer's route
// (sim/engines/simgrid/platform.cc). Network-level: the native engine rejects it.
#include "sim/model/registry.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/network_plan.h"

namespace faultline {

namespace {
void plan(const PluginUse& use, NetworkPlan& plan) {
  plan.bulk_rate_limit =
      NetworkPlan::RateLimit{parse_bandwidth(use.params.text("rate")).value(), {use.type, use.loc}};
}

void validate(const PluginUse& use, const Scenario&, const std::string& file) {
  require_parses(use, "rate", parse_bandwidth, file);
}

const RegisterMitigation registered{
    {{.name = "rate_limit_export",
      .summary = "throttle bulk transfers (the cutover replay) to a rate (engine: simgrid)",
      .params = {{"rate", ParamKind::kText, "", "the cap for all streams together, e.g. 10Mbps"}},
      .effect = "every `bulk_transfer` passes a link of bandwidth `rate` first",
      .network = true,
      .validate = validate},
     nullptr,
     plan}};
}  // namespace

}  // namespace faultline
