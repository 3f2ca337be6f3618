// SimGrid communications behind the Transport seam, in lock step with the kernel; the
// causality contract is in transport.h.
#include "sim/engines/simgrid/transport.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace faultline::simgrid_engine {

namespace sg4 = simgrid::s4u;

SimgridTransport::SimgridTransport(sg4::Engine& engine, Platform& platform, Kernel& kernel)
    : engine_(engine), platform_(platform), kernel_(kernel) {
  h_probe_ = kernel.add_handler("network_probe", on_probe, this);
  kernel.set_advance_hook(on_advance, this);
  sg4::Activity::on_completion_cb([this](const sg4::Activity& a) { completed(a); });
  for (std::size_t i = 0; i < platform.bulk().size(); ++i)
    push(platform.bulk()[i].at, Kind::kBulk, static_cast<std::uint32_t>(i));
  for (std::size_t i = 0; i < platform.controls().size(); ++i)
    push(platform.controls()[i].at, Kind::kControl, static_cast<std::uint32_t>(i));
}

void SimgridTransport::push(SimTime at, Kind kind, std::uint32_t index) {
  pending_.push(Pending{at, seq_++, kind, index});
}

void SimgridTransport::on_advance(void* self, Kernel&, SimTime next) {
  auto& t = *static_cast<SimgridTransport*>(self);
  t.finished_.clear();  // comms completed during the last advance, released outside SimGrid
  // Causal completions found from here on are the ones whose handlers run before the
  // kernel's next advance; the earliest bounds the slack (several batches at one time).
  t.causal_floor_ = kTimeNever;
  while (true) {
    SimTime step = next;
    if (!t.pending_.empty() && t.pending_.top().at < next)
      step = std::max(t.pending_.top().at, t.sim_now_);
    t.advance_simgrid(step);
    while (!t.pending_.empty() && t.pending_.top().at <= t.sim_now_) {
      const Pending p = t.pending_.top();
      t.pending_.pop();
      t.run_pending(p);
    }
    if (step >= next) break;
  }
}

void SimgridTransport::advance_simgrid(SimTime t) {
  if (t <= sim_now_) return;
  engine_.run_until(to_seconds(t));
  sim_now_ = t;
}

void SimgridTransport::run_pending(const Pending& p) {
  switch (p.kind) {
    case Kind::kLeg:
      start_leg(p.index);
      break;
    case Kind::kBulk: {
      const BulkStart& b = platform_.bulk()[p.index];
      const auto per_stream = static_cast<std::uint64_t>(std::llround(b.bytes / b.streams));
      for (int k = 0; k < b.streams; ++k)
        bulk_comms_.push_back(sg4::Comm::sendto_async(b.from, b.to, per_stream));
      break;
    }
    case Kind::kControl: {
      const LinkControl& c = platform_.controls()[p.index];
      if (c.kind == LinkControl::kOff)
        c.link->turn_off();
      else if (c.kind == LinkControl::kOn)
        c.link->turn_on();
      else
        c.link->set_bandwidth(c.bandwidth);
      break;
    }
  }
}

void SimgridTransport::send(Kernel&, const TransportLeg& leg) {
  SimTime start = leg.start;
  if (start < sim_now_) {
    // Allowed only for legs started by a causal leg's handler, within the quantum.
    const bool slack = start >= causal_floor_ && sim_now_ - start <= kQuantum;
    if (!slack)
      throw std::logic_error("SimGrid engine: causality contract violated: a leg " +
                             std::string(leg.from) + " -> " + std::string(leg.to) +
                             " starting at " + format_time(start) +
                             " was sent after SimGrid had advanced to " + format_time(sim_now_) +
                             " (only handlers of causal legs may start legs; see docs/engines.md)");
    ++late_starts_;
    start = sim_now_;
  }
  std::uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.leg = leg;
  s.leg.start = start;
  s.from = platform_.host(leg.from);
  s.to = platform_.host(leg.to);
  s.in_use = true;
  if (start == sim_now_)
    start_leg(slot);
  else
    push(start, Kind::kLeg, slot);
}

void SimgridTransport::start_leg(std::uint32_t slot) {
  Slot& s = slots_[slot];
  const RouteInfo& route = platform_.route(s.from, s.to);
  // SimGrid leaves a transfer started on a dead link pending forever (3.32): a leg whose
  // route is down when it starts is lost at once, as the sender's connect would fail.
  for (const sg4::Link* l : route.links) {
    if (l->is_on()) continue;
    ++lost_at_start_;
    kernel_.schedule_at(std::max(kernel_.now(), sim_now_), s.leg.on_lost, s.leg.target, s.leg.arg);
    if (s.leg.causal) causal_floor_ = std::min(causal_floor_, sim_now_);
    s.in_use = false;
    ++s.generation;
    free_slots_.push_back(slot);
    return;
  }
  s.max_rate = route.max_rate;
  s.comm =
      sg4::Comm::sendto_async(s.from, s.to, static_cast<std::uint64_t>(std::llround(s.leg.bytes)));
  // The completion signal is global in 3.32: the slot index (+1, so 0 = not ours) finds
  // the leg again.
  s.comm->set_data(reinterpret_cast<void*>(static_cast<std::uintptr_t>(slot) + 1));
  ++comms_started_;
  if (s.leg.causal) schedule_probe(slot);
}

void SimgridTransport::schedule_probe(std::uint32_t slot) {
  const Slot& s = slots_[slot];
  // No transfer goes faster than its route's nominal bottleneck: remaining / max_rate is
  // a lower bound on the time left, so the probe never lands after the completion
  // (except by the quantum floor, which bounds the number of probes).
  const double left_s = s.comm->get_remaining() / s.max_rate;
  const SimTime bound =
      std::isfinite(left_s) ? static_cast<SimTime>(std::floor(left_s * kSecond)) : 0;
  kernel_.schedule_at(sim_now_ + std::max(kQuantum, bound), h_probe_, slot, s.generation);
}

void SimgridTransport::on_probe(void* self, Kernel&, const Event& e) {
  auto& t = *static_cast<SimgridTransport*>(self);
  const Slot& s = t.slots_[e.target];
  if (s.in_use && s.generation == e.arg && s.comm) t.schedule_probe(e.target);
}

void SimgridTransport::completed(const sg4::Activity& activity) {
  void* data = activity.get_data<void>();
  if (data == nullptr) return;  // a bulk transfer: nobody waits for it
  const auto slot = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(data) - 1);
  Slot& s = slots_[slot];
  // SimGrid's completion date, in kernel units; never before the kernel's now (it cannot
  // be: SimGrid only moves forward from the kernel's last time).
  const SimTime at = std::max(
      kernel_.now(), static_cast<SimTime>(std::llround(sg4::Engine::get_clock() * kSecond)));
  const bool ok = activity.get_state() == sg4::Activity::State::FINISHED;
  kernel_.schedule_at(at, ok ? s.leg.on_arrival : s.leg.on_lost, s.leg.target, s.leg.arg);
  if (s.leg.causal) causal_floor_ = std::min(causal_floor_, at);
  // Released at the next advance: the activity is still in use by SimGrid's signal.
  finished_.push_back(std::move(s.comm));
  s.comm = nullptr;
  s.in_use = false;
  ++s.generation;
  free_slots_.push_back(slot);
}

}  // namespace faultline::simgrid_engine
