// The SimGrid side of the Transport seam: network legs become SimGrid communications on
// the run's platform, and SimGrid's clock follows the native kernel in lock step.
//
// Causality contract (docs/engines.md):
// - Before the kernel moves to `next`, the advance hook runs SimGrid to `next`, starting
//   on the way every leg, bulk transfer and link change that is due, each at its own date.
// - A transfer that completes (or fails) at t_c <= next schedules its arrival (or loss)
//   handler on the kernel at t_c; the kernel is still at or before t_c, so nothing runs
//   in the past.
// - SimGrid is then ahead of the kernel (at `next`) while those handlers run. Handlers of
//   ordinary legs start no new legs, so that is harmless; a leg started in SimGrid's past
//   is a contract violation and throws (never silently shifted).
// - A causal leg (TransportLeg::causal: the batch export, whose arrival sends the batch)
//   gets probe events: the kernel wakes at a lower bound of its completion time
//   (remaining bytes / the route's nominal bottleneck), so SimGrid never runs more than
//   kQuantum past it; legs its handler starts at most kQuantum in SimGrid's past start at
//   SimGrid's now, and are counted (late_starts()).
#pragma once

#include <cstdint>
#include <queue>
#include <simgrid/s4u.hpp>
#include <vector>

#include "sim/engines/simgrid/platform.h"
#include "sim/model/transport.h"

namespace faultline::simgrid_engine {

inline constexpr SimTime kQuantum = kMillisecond;

class SimgridTransport final : public Transport {
 public:
  // Installs the kernel's advance hook and SimGrid's completion callback (one transport
  // per process, as SimGrid allows one simulation per process).
  SimgridTransport(simgrid::s4u::Engine& engine, Platform& platform, Kernel& kernel);
  SimgridTransport(const SimgridTransport&) = delete;
  SimgridTransport& operator=(const SimgridTransport&) = delete;

  void send(Kernel& kernel, const TransportLeg& leg) override;

  std::uint64_t comms_started() const { return comms_started_; }
  std::uint64_t lost_at_start() const { return lost_at_start_; }  // a route link was down
  std::uint64_t late_starts() const { return late_starts_; }      // causal slack, <= kQuantum each

 private:
  enum class Kind : std::uint8_t { kLeg, kBulk, kControl };
  struct Pending {
    SimTime at;
    std::uint64_t seq;
    Kind kind;
    std::uint32_t index;
    bool operator>(const Pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  struct Slot {
    TransportLeg leg;
    simgrid::s4u::Host* from = nullptr;
    simgrid::s4u::Host* to = nullptr;
    simgrid::s4u::CommPtr comm;
    double max_rate = 0;
    std::uint32_t generation = 0;
    bool in_use = false;
  };

  static void on_advance(void* self, Kernel& kernel, SimTime next);
  static void on_probe(void* self, Kernel& kernel, const Event& e);
  void advance_simgrid(SimTime t);
  void run_pending(const Pending& p);
  void start_leg(std::uint32_t slot);
  void completed(const simgrid::s4u::Activity& activity);
  void schedule_probe(std::uint32_t slot);
  void push(SimTime at, Kind kind, std::uint32_t index);

  simgrid::s4u::Engine& engine_;
  Platform& platform_;
  Kernel& kernel_;
  HandlerId h_probe_;
  SimTime sim_now_ = 0;                // SimGrid's clock, in kernel units
  SimTime causal_floor_ = kTimeNever;  // earliest causal completion since the last advance
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
  std::uint64_t seq_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<simgrid::s4u::CommPtr> bulk_comms_;
  std::vector<simgrid::s4u::CommPtr> finished_;  // completed during the last advance
  std::uint64_t comms_started_ = 0, lost_at_start_ = 0, late_starts_ = 0;
};

}  // namespace faultline::simgrid_engine
