// bulk_transfer: a large transfer competes for the network — the replay of a batch export
// during a core cutover, a backup, a data-warehouse load. `streams` parallel transfers of
// size/streams bytes each start at `at` from `from` to `to`; bandwidth sharing with the
// scenario's own traffic (the reminder batch export core → notification) comes from
// SimGrid's network model. Many parallel streams are what makes a replay starve a
// single-stream batch: max-min sharing gives each stream an equal part of the link.
// Shaped by the mitigations rate_limit_export and stage_replay. Network-level: the native
// engine rejects it.
#include "sim/model/registry.h"

namespace faultline {

namespace {
const RegisterFault registered{
    {{.name = "bulk_transfer",
      .summary = "a large multi-stream transfer competes for the network (engine: simgrid)",
      .params = {{"from", ParamKind::kText, "core", "the sending host"},
                 {"to", ParamKind::kText, "notification", "the receiving host"},
                 {"size", ParamKind::kText, "", "total bytes, e.g. 270GB"},
                 {"at", ParamKind::kTimePoint, "", "when it starts, e.g. 12d 22:00"},
                 {"streams", ParamKind::kInteger, "16",
                  "parallel streams (replication tools use 8-64)"}},
      .effect = "`streams` parallel transfers of `size`/`streams` bytes from `from` to `to` "
                "share links max-min fairly with the reminder batch export",
      .calibration = "replication tools use 8–64 parallel streams",
      .network = true}}};
}  // namespace

}  // namespace faultline
