// stage_replay: a staged cutover — the bulk replay is split into `stages` equal parts,
// started `every` apart from the fault's `at` (e.g. one per night), instead of all at
// once. A stage that fits between batches never meets one. The SimGrid engine applies it
// to every bulk_transfer. Network-level: the native engine rejects it.
#include "sim/model/registry.h"

namespace faultline {

namespace {
const RegisterMitigation registered{
    {{.name = "stage_replay",
      .summary = "replay bulk transfers in stages spread over time (engine: simgrid)",
      .params = {{"stages", ParamKind::kInteger, "4", "equal parts"},
                 {"every", ParamKind::kDuration, "24h", "time between the starts of two stages"}},
      .effect = "every `bulk_transfer` is split into `stages` equal parts started `every` apart",
      .network = true}}};
}  // namespace

}  // namespace faultline
