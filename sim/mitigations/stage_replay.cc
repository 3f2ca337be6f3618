// stage_replay: a staged cutover — the bulk replay is split into `stages` equal parts,
// started `every` apart from the fault's `at` (e.g. one per night), instead of all at
// once. A stage that fits between batches never meets one. The SimGrid engine applies it
// to every bulk_transfer. Network-level: the native engine rejects it.
#include "sim/model/registry.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/network_plan.h"

namespace faultline {

namespace {
void plan(const PluginUse& use, NetworkPlan& plan) {
  plan.bulk_stages = static_cast<int>(use.params.number("stages"));
  plan.stage_every = use.params.time("every");
}

void validate(const PluginUse& use, const Scenario&, const std::string& file) {
  if (use.params.number("stages") < 1 || use.params.number("stages") > 100)
    fail_param(use, "stages", file, "stage_replay.stages: expected 1 to 100 stages");
}

const RegisterMitigation registered{
    {{.name = "stage_replay",
      .summary = "replay bulk transfers in stages spread over time (engine: simgrid)",
      .params = {{"stages", ParamKind::kInteger, "4", "equal parts"},
                 {"every", ParamKind::kDuration, "24h", "time between the starts of two stages"}},
      .effect = "every `bulk_transfer` is split into `stages` equal parts started `every` apart",
      .network = true,
      .validate = validate},
     nullptr,
     plan}};
}  // namespace

}  // namespace faultline
