// bulk_transfer: a large transfer competes for the network — the replay of a batch export
// during a core cutover, a backup, a data-warehouse load. `streams` parallel transfers of
// size/streams bytes each start at `at` from `from` to `to`; bandwidth sharing with the
// scenario's own traffic (the reminder batch export core → notification) comes from
// SimGrid's network model. Many parallel streams are what makes a replay starve a
// single-stream batch: max-min sharing gives each stream an equal part of the link.
// Shaped by the mitigations rate_limit_export and stage_replay. Network-level: the native
// engine rejects it.
#include "sim/model/registry.h"
#include "sim/scenario/network_parser.h"
#include "sim/scenario/network_plan.h"

namespace faultline {

namespace {
void plan(const ScheduledFault& f, NetworkPlan& plan) {
  NetworkPlan::BulkTransfer b;
  b.fault = f.index;
  b.from = f.params.text("from");
  b.to = f.params.text("to");
  b.bytes = parse_size_bytes(f.params.text("size")).value();
  b.streams = static_cast<int>(f.params.number("streams"));
  for (const Window& w : f.windows) b.starts.push_back(w.start);
  b.origin = {f.type, f.loc};
  plan.bulk.push_back(std::move(b));
}

void validate(const PluginUse& use, const Scenario& s, const std::string& file) {
  require_host(use, "from", s, file);
  require_host(use, "to", s, file);
  if (use.params.text("from") == use.params.text("to"))
    fail_param(use, "to", file, "bulk_transfer.to: must differ from `from`");
  require_parses(use, "size", parse_size_bytes, file);
  if (use.params.number("streams") < 1 || use.params.number("streams") > 1024)
    fail_param(use, "streams", file, "bulk_transfer.streams: expected 1 to 1024 parallel streams");
}

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
      .network = true,
      .validate = validate},
     nullptr,
     plan}};
}  // namespace

}  // namespace faultline
