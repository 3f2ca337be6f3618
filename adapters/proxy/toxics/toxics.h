// The built-in toxics, one file each (after Toxiproxy's toxics/). Add one by writing its
// file — a ToxicKind with its attributes and a Stage with its behaviour (stage.h says
// what a stage may do) — and listing its function in registry.cc; docs/adapters.md's
// table follows from the kinds.
#pragma once

#include "adapters/proxy/stage.h"
#include "adapters/proxy/toxic.h"

namespace faultline::proxy {

// Toxiproxy's, same names, attributes, defaults and behaviour.
ToxicKind noop_toxic();
ToxicKind latency_toxic();
ToxicKind bandwidth_toxic();
ToxicKind slow_close_toxic();
ToxicKind timeout_toxic();
ToxicKind reset_peer_toxic();
ToxicKind slicer_toxic();
ToxicKind limit_data_toxic();
// faultline's own.
ToxicKind silent_drop_toxic();
ToxicKind http_error_toxic();
ToxicKind http_latency_toxic();

}  // namespace faultline::proxy
