// dedicated_link: the reminder batch export core → notification gets its own link, so
// nothing else shares it; bulk transfers keep the shared route. The SimGrid engine routes
// the core – notification pair over a new link (sim/engines/simgrid/platform.cc).
// Network-level: the native engine rejects it.
#include "sim/model/registry.h"

namespace faultline {

namespace {
const RegisterMitigation registered{
    {{.name = "dedicated_link",
      .summary = "a link of its own for the batch export core → notification (engine: simgrid)",
      .params = {{"bandwidth", ParamKind::kText, "1Gbps", "the dedicated link's bandwidth"},
                 {"latency", ParamKind::kDuration, "1ms", "its latency"}},
      .effect = "the batch export core → notification gets a link of its own; bulk transfers "
                "keep the shared route",
      .network = true}}};
}  // namespace

}  // namespace faultline
