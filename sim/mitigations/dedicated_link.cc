// dedicated_link: the reminder batch export core → notification gets its own link, so
// nothing else shares it; bulk transfers keep the shared route. The SimGrid engine routes
// the core – notification pair over a new link (sim/engines/simgrid/platform.cc).
// Network-level: the native engine rejects it.
#include "sim/mitigations/mitigations.h"

namespace faultline {

namespace {
// Nothing to change in the World: the mitigation lives in the SimGrid platform.
void apply(const ParamSet&, World&) {}
}  // namespace

Plugin dedicated_link_plugin() {
  return {{"dedicated_link",
           "a link of its own for the batch export core → notification (engine: simgrid)",
           {
               {"bandwidth", ParamKind::kText, "1Gbps", "the dedicated link's bandwidth"},
               {"latency", ParamKind::kDuration, "1ms", "its latency"},
           }},
          apply};
}

}  // namespace faultline
