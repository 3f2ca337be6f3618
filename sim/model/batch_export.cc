// The reminder batch's trip from the core to the notification service when a network
// engine is plugged in (World::set_transport; the native engine has none and never comes
// here: its export is instantaneous). The core exports the day's due list — borrowers due
// that day × network.export_record_size bytes — as one causal leg (its arrival sends the
// batch; see sim/model/transport.h). The notification service sends the batch when the
// export arrives, if that is within network.send_window of the batch's time; a batch that
// arrives later, or whose export the network lost, is not sent: it is accounted exactly
// like a batch the notification service holds back (every reminder scheduled and
// suppressed, batches_suppressed + 1, seen by anomaly monitoring).
#include "sim/model/world.h"

namespace faultline {

namespace {
std::uint32_t batch_day(const Event& e) {
  return static_cast<std::uint32_t>(e.arg & 0xffffffff);
}
}  // namespace

bool World::export_batch(const Event& e) {
  if (transport_ == nullptr) return false;
  const std::uint32_t day = batch_day(e);
  const double borrowers = population_.day_start[day + 1] - population_.day_start[day];
  TransportLeg leg{"core",
                   "notification",
                   borrowers * scenario_.network.export_record_bytes,
                   kernel_.now(),
                   h_batch_exported_,
                   h_batch_lost_,
                   e.target,
                   e.arg};
  leg.causal = true;
  transport_->send(kernel_, leg);
  return true;
}

void World::on_batch_exported(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const ReminderRule& rule = w.scenario_.reminders[e.target];
  const SimTime scheduled =
      (static_cast<SimTime>(batch_day(e)) - rule.before_due_days) * kDay + rule.at;
  if (k.now() - scheduled > w.scenario_.network.send_window)
    w.skip_batch(e.target, batch_day(e));
  else
    w.run_batch(e.target, batch_day(e), false);
}

void World::on_batch_lost(void* self, Kernel&, const Event& e) {
  static_cast<World*>(self)->skip_batch(e.target, batch_day(e));
}

void World::skip_batch(std::uint32_t rule, std::uint32_t day) {
  // A pause of every channel for this instant: run_batch then does the due-list
  // accounting of a held-back batch, with nothing sent.
  pauses_.push_back(Pause{-1, Window{kernel_.now(), kernel_.now() + 1}, false});
  run_batch(rule, day, false);
  pauses_.pop_back();
}

}  // namespace faultline
