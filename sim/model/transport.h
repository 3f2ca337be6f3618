// The seam between the model and a network engine. The model decides business fates
// (queues, failures, behaviour); a Transport decides how long a message takes to cross
// the infrastructure's network, and whether the network loses it. The native engine uses
// no Transport at all (network time zero, no extra events: the carrier delay already
// models the end-to-end time). The SimGrid engine (sim/engines/simgrid) implements it
// with SimGrid communications over a platform built from the scenario, so link
// bandwidth sharing and link outages come from SimGrid's models — the model code is the
// same for both engines.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/kernel/kernel.h"

namespace faultline {

// A network leg: which hosts, how many bytes, and what to do on arrival or loss. The
// transport must eventually schedule exactly one of `on_arrival` or `on_lost` on the
// kernel (at the arrival or failure time, never before `start`), with `target`/`arg`.
struct TransportLeg {
  std::string_view from;  // host names: "core", "notification", "vendor/<name>", "carrier/<name>"
  std::string_view to;
  double bytes = 0;
  SimTime start = 0;
  HandlerId on_arrival = 0;
  HandlerId on_lost = 0;
  std::uint32_t target = 0;
  std::uint64_t arg = 0;
  // The arrival (or loss) handler starts new legs (the batch export: the batch goes out
  // when it arrives). A co-simulating transport must not run its clock past such a leg's
  // completion by more than its quantum (docs/engines.md, causality).
  bool causal = false;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(Kernel& kernel, const TransportLeg& leg) = 0;
};

}  // namespace faultline
