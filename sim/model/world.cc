#include "sim/model/world.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/model/plugin.h"

namespace faultline {

namespace {
// Keys of the per-borrower behaviour draws (KeyedRandom "borrower/behaviour"). Fixed
// numbers, not draw order: a new behaviour gets a new key and shifts nothing else.
enum BehaviourKey : std::uint64_t {
  kForgets = 0,
  kActsOnReminder = 1,
  kReminderDelay = 2,
  kUnpromptedLead = 3,
  kCures = 4,
  kCureDelay = 5,
};

[[noreturn]] void fail_config(const std::string& what) { throw std::invalid_argument(what); }
}  // namespace

World::World(const Scenario& scenario, const Population& population, std::uint64_t run_seed)
    : scenario_(scenario),
      population_(population),
      run_seed_(run_seed),
      state_(population.size(), 0),
      behaviour_(run_seed, "borrower/behaviour") {
  for (const VendorSpec& v : scenario.vendors) vendors_.emplace_back(v, run_seed);
  for (const CarrierSpec& c : scenario.carriers) carrier_luck_.emplace_back(run_seed, "carrier/" + c.name);
  primary_ = scenario.vendor_index(scenario.sms.primary);
  counters_.series = TimeSeries(scenario.horizon);
  h_due_list_ = kernel_.add_handler("due_list", on_due_list, this);
  h_reminder_batch_ = kernel_.add_handler("reminder_batch", on_reminder_batch, this);
  h_delivery_ = kernel_.add_handler("delivery", on_delivery, this);
  h_deadline_ = kernel_.add_handler("deadline", on_deadline, this);
  h_payment_ = kernel_.add_handler("payment", on_payment, this);
  h_failover_ = kernel_.add_handler("failover_switch", on_failover_switch, this);
  h_carrier_arrival_ = kernel_.add_handler("carrier_arrival", on_carrier_arrival, this);
  h_network_lost_ = kernel_.add_handler("network_lost", on_network_lost, this);
  for (const VendorSpec& v : scenario.vendors) vendor_hosts_.push_back("vendor/" + v.name);
  for (const CarrierSpec& c : scenario.carriers) carrier_hosts_.push_back("carrier/" + c.name);
}

SmsVendor& World::vendor(std::string_view name) {
  const int i = scenario_.vendor_index(name);
  if (i < 0) fail_config("unknown vendor '" + std::string(name) + "'");
  return vendors_[static_cast<std::size_t>(i)];
}

void World::configure(const StrategySpec& strategy) {
  for (const PluginUse& f : scenario_.faults) fault_registry().find(f.type)->apply(f.params, *this);
  for (const PluginUse& m : strategy.mitigations)
    mitigation_registry().find(m.type)->apply(m.params, *this);
}

void World::enable_failover(std::string_view secondary, SimTime detect, bool failback) {
  secondary_ = scenario_.vendor_index(secondary);
  if (secondary_ < 0 || secondary_ == primary_)
    fail_config("vendor_failover: the secondary must be a declared vendor other than the primary");
  failover_detect_ = detect;
  failback_ = failback;
}

void World::schedule_world() {
  const Population& p = population_;
  const BehaviourSpec& b = scenario_.population.behaviour;
  for (std::uint32_t d = 0; d < p.days(); ++d) {
    if (p.day_start[d] == p.day_start[d + 1]) continue;
    const SimTime due_end = (static_cast<SimTime>(d) + 1) * kDay;
    kernel_.schedule_at(std::max<SimTime>(0, due_end - b.unprompted_lead), h_due_list_, d);
    for (std::uint32_t r = 0; r < scenario_.reminders.size(); ++r) {
      const ReminderRule& rule = scenario_.reminders[r];
      const SimTime at = (static_cast<SimTime>(d) - rule.before_due_days) * kDay + rule.at;
      if (at >= 0 && at < scenario_.horizon) kernel_.schedule_at(at, h_reminder_batch_, r, d);
    }
    kernel_.schedule_at(due_end, h_deadline_, d);
  }
  // The monitor that notices a silent outage of the primary `detect` after it starts.
  if (secondary_ >= 0) {
    for (const OutageWindow& w : vendors_[static_cast<std::size_t>(primary_)].outages()) {
      if (w.mode != OutageMode::kSilentDrop) continue;
      kernel_.schedule_at(w.start + failover_detect_, h_failover_, 0, 1);
      if (failback_) kernel_.schedule_at(w.end + failover_detect_, h_failover_, 0, 0);
    }
  }
}

RunOutput World::run() {
  schedule_world();
  const RunResult r = kernel_.run({.until = scenario_.horizon, .max_events = scenario_.limits.max_events});
  if (r.reason == StopReason::kEventLimit)
    throw RunLimitError("run stopped after limits.max_events = " + std::to_string(r.events_processed) +
                        " events at simulated time " + format_time(r.now) + " (run seed " +
                        std::to_string(run_seed_) + "); raise limits.max_events if the scenario really needs more");
  // Payments scheduled beyond the horizon fall after grace (the parser guarantees the
  // horizon covers every due date plus grace): they are missed.
  for (std::uint32_t i = 0; i < state_.size(); ++i) {
    if ((state_[i] & kSettled) == 0) {
      state_[i] |= kSettled;
      ++counters_.missed_payments;
    }
  }
  counters_.events = r.events_processed;
  check_invariants();
  return {counters_, r};
}

void World::check_invariants() const {
  const Counters& c = counters_;
  auto require = [this](bool ok, const std::string& what) {
    if (!ok)
      throw std::logic_error("model invariant violated: " + what + " (scenario '" + scenario_.name +
                             "', run seed " + std::to_string(run_seed_) + ")");
  };
  require(c.payments_due == population_.size(), "every borrower has exactly one obligation due");
  require(c.paid_on_time + c.paid_late + c.missed_payments == c.payments_due,
          "each obligation ends in exactly one outcome");
  require(c.reminders_delivered <= c.reminders_scheduled, "no more deliveries than reminders");
  require(c.sms_dropped + c.sms_expired + c.sms_failed <= c.sms_sent,
          "no more lost messages than messages sent");
  require(c.reminders_delivered <= c.sms_sent, "every delivery went through a vendor");
}

void World::on_due_list(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const Population& p = w.population_;
  const BehaviourSpec& b = w.scenario_.population.behaviour;
  for (std::uint32_t j = p.day_start[e.target]; j < p.day_start[e.target + 1]; ++j) {
    const std::uint32_t i = p.by_due_day[j];
    ++w.counters_.payments_due;
    if (w.state_[i] & (kSettled | kPaymentScheduled)) continue;
    if (w.behaviour_.bernoulli(b.forget_without_reminder, i, kForgets)) continue;
    // Unprompted payers pay some time in the lead-up, strictly before the deadline.
    const SimTime lead = std::min(b.unprompted_lead, w.deadline(i) - k.now());
    const auto before = std::max<SimTime>(1, std::llround(w.behaviour_.uniform01(i, kUnpromptedLead) * lead));
    w.schedule_payment(i, w.deadline(i) - before);
  }
}

void World::on_reminder_batch(void* self, Kernel&, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const Population& p = w.population_;
  const auto day = static_cast<std::uint32_t>(e.arg);
  for (std::uint32_t j = p.day_start[day]; j < p.day_start[day + 1]; ++j) {
    const std::uint32_t i = p.by_due_day[j];
    if ((w.state_[i] & kSettled) == 0) w.send_reminder(i, e.target);
  }
}

void World::send_reminder(std::uint32_t borrower, std::uint32_t rule) {
  ++counters_.reminders_scheduled;
  const SimTime now = kernel_.now();
  int v = failover_active_ ? secondary_ : primary_;
  SendResult r = vendors_[static_cast<std::size_t>(v)].submit(now, borrower, rule, counters_);
  if (r.fate == SendFate::kRejected && secondary_ >= 0 && v == primary_) {
    v = secondary_;  // an API error is seen at once: retry on the secondary immediately
    r = vendors_[static_cast<std::size_t>(v)].submit(now, borrower, rule, counters_);
  }
  if (r.fate != SendFate::kHandedToCarrier) {
    counters_.series.add(Series::sms_lost, now);
    return;
  }
  if (transport_ == nullptr) {
    carrier_leg(borrower, rule, r.carrier_time);
    return;
  }
  // An SMS PDU with protocol overhead: ~200 bytes from the vendor to the carrier's SMSC.
  transport_->send(kernel_, TransportLeg{vendor_hosts_[static_cast<std::size_t>(v)],
                                         carrier_hosts_[population_.carrier[borrower]], 200.0,
                                         r.carrier_time, h_carrier_arrival_, h_network_lost_,
                                         borrower, rule});
}

void World::carrier_leg(std::uint32_t borrower, std::uint64_t key, SimTime at_carrier) {
  const std::uint8_t c = population_.carrier[borrower];
  const CarrierSpec& carrier = scenario_.carriers[c];
  const double delay_s =
      carrier_luck_[c].lognormal(to_seconds(carrier.delay_median), carrier.delay_sigma, borrower, key);
  kernel_.schedule_at(at_carrier + std::llround(delay_s * kSecond), h_delivery_, borrower, key);
}

void World::on_carrier_arrival(void* self, Kernel& k, const Event& e) {
  static_cast<World*>(self)->carrier_leg(e.target, e.arg, k.now());
}

void World::on_network_lost(void* self, Kernel& k, const Event&) {
  auto& w = *static_cast<World*>(self);
  ++w.network_lost_;
  w.counters_.series.add(Series::sms_lost, k.now());
}

void World::on_delivery(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const std::uint32_t i = e.target;
  ++w.counters_.reminders_delivered;
  w.counters_.series.add(Series::reminders_delivered, k.now());
  const ReminderRule& rule = w.scenario_.reminders[e.arg];
  const SimTime batch_time =
      (static_cast<SimTime>(w.population_.due_day[i]) - rule.before_due_days) * kDay + rule.at;
  w.counters_.delivery_latency.add(k.now() - batch_time);
  if (w.state_[i] & kSawReminder) return;  // a second reminder adds ~nothing (Bursztyn 2019)
  w.state_[i] |= kSawReminder;
  ++w.counters_.borrowers_reminded;
  if (w.state_[i] & (kSettled | kPaymentScheduled)) return;
  const BehaviourSpec& b = w.scenario_.population.behaviour;
  // Only a borrower who would forget needs the nudge; the others pay unprompted anyway.
  if (!w.behaviour_.bernoulli(b.forget_without_reminder, i, kForgets)) return;
  if (!w.behaviour_.bernoulli(b.pay_after_reminder, i, kActsOnReminder)) return;
  const double delay = w.behaviour_.exponential(static_cast<double>(b.pay_delay_mean), i, kReminderDelay);
  w.schedule_payment(i, k.now() + std::llround(delay));
}

void World::on_deadline(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const Population& p = w.population_;
  const BehaviourSpec& b = w.scenario_.population.behaviour;
  const SimTime grace = w.scenario_.population.grace;
  for (std::uint32_t j = p.day_start[e.target]; j < p.day_start[e.target + 1]; ++j) {
    const std::uint32_t i = p.by_due_day[j];
    if (w.state_[i] & (kSettled | kPaymentScheduled)) continue;
    if (w.behaviour_.bernoulli(b.cure_within_grace, i, kCures)) {
      const double u = w.behaviour_.uniform01(i, kCureDelay);
      w.schedule_payment(i, k.now() + std::llround(u * static_cast<double>(grace)));
    } else {
      w.state_[i] |= kSettled;
      ++w.counters_.missed_payments;
    }
  }
}

void World::schedule_payment(std::uint32_t borrower, SimTime at) {
  state_[borrower] |= kPaymentScheduled;
  kernel_.schedule_at(at, h_payment_, borrower);
}

void World::on_payment(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const std::uint32_t i = e.target;
  w.state_[i] = static_cast<std::uint8_t>((w.state_[i] | kSettled) & ~kPaymentScheduled);
  ++w.counters_.payment_attempts;
  w.counters_.series.add(Series::payments, k.now());
  const SimTime deadline = w.deadline(i);
  if (k.now() < deadline) ++w.counters_.paid_on_time;
  else if (k.now() < deadline + w.scenario_.population.grace) ++w.counters_.paid_late;
  else ++w.counters_.missed_payments;
}

void World::on_failover_switch(void* self, Kernel&, const Event& e) {
  static_cast<World*>(self)->failover_active_ = e.arg != 0;
}

}  // namespace faultline
