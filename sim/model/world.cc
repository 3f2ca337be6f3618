#include "sim/model/world.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/model/registry.h"
#include "sim/random/hash.h"

namespace faultline {

namespace {
// The fault schedule of cycle `cycle`'s run: over several cycles the faults are drawn once
// over the whole span and each cycle sees them from its own start (Schedule::shifted).
Schedule cycle_schedule(const Scenario& s, std::uint64_t run_seed, int cycle) {
  if (s.population.cycles <= 1) return Schedule::of(s, run_seed);
  const SimTime span = (s.population.cycles - 1) * s.population.cycle + s.horizon;
  return Schedule::of(s.faults, span, run_seed).shifted(cycle * s.population.cycle);
}
}  // namespace

std::uint64_t World::obligation_seed(std::uint64_t run_seed, int cycle) {
  return cycle == 0 ? run_seed
                    : combine(run_seed, fnv1a64("cycle"), static_cast<std::uint64_t>(cycle));
}

World::World(const Scenario& scenario, const Population& population, std::uint64_t run_seed,
             int cycle)
    : scenario_(scenario),
      population_(population),
      run_seed_(run_seed),
      obligation_seed_(obligation_seed(run_seed, cycle)),
      schedule_(cycle_schedule(scenario, run_seed, cycle)),
      carriers_(scenario, run_seed),
      channels_(scenario, run_seed),
      behaviour_(obligation_seed_, "borrower/behaviour"),
      plugin_luck_(obligation_seed_, "plugins"),
      spread_luck_(obligation_seed_, "reminder/spread"),
      journey_luck_(obligation_seed_, "payment/borrower"),
      payments_(scenario, obligation_seed_, hooks_) {
  for (const VendorSpec& v : scenario.vendors) {
    vendors_.emplace_back(v, obligation_seed_);
    otp_vendors_.push_back(v);
    otp_vendors_.back().first_attempt_failure = 0;  // the borrower has the phone in hand
  }
  borrowers_.resize(population.size());
  for (std::uint32_t i = 0; i < population.size(); ++i) {
    borrowers_[i].carrier = population.carrier[i];
    borrowers_[i].due_day = population.due_day[i];
  }
  if (scenario.payments.link_share > 0) link_sent_s_.assign(population.size(), 0);
  router_.primary = scenario.vendor_index(scenario.sms.primary);
  lender_.autopay_share = scenario.population.reachability.autopay;
  for (const ReminderRule& r : scenario.reminders) dunning_ = dunning_ || r.after_due();
  counters_.series = TimeSeries(scenario.horizon);
  h_due_list_ = kernel_.add_handler("due_list", on_due_list, this);
  h_reminder_batch_ = kernel_.add_handler("reminder_batch", on_reminder_batch, this);
  h_deadline_ = kernel_.add_handler("deadline", on_deadline, this);
  h_payment_ = add_borrower_handler("payment", on_payment, this);
  h_sms_seen_ = add_borrower_handler("sms_seen", on_sms_seen, this);
  h_app_seen_ = add_borrower_handler("app_seen", on_app_seen, this);
  h_receipt_ = add_borrower_handler("receipt", on_receipt, this);
  h_monitor_ = kernel_.add_handler("monitor_tick", on_monitor_tick, this);
  h_carrier_arrival_ = kernel_.add_handler("carrier_arrival", on_carrier_arrival, this);
  h_network_lost_ = kernel_.add_handler("network_lost", on_network_lost, this);
  h_batch_exported_ = kernel_.add_handler("batch_exported", on_batch_exported, this);
  h_batch_lost_ = kernel_.add_handler("batch_lost", on_batch_lost, this);
  h_resend_ = kernel_.add_handler("resend_batch", on_resend_batch, this);
  h_spread_send_ = kernel_.add_handler("spread_send", on_spread_send, this);
  h_repay_ = add_borrower_handler("repay", on_repay, this);
  for (const VendorSpec& v : scenario.vendors) vendor_hosts_.push_back("vendor/" + v.name);
  for (const CarrierSpec& c : scenario.carriers) carrier_hosts_.push_back("carrier/" + c.name);
}

// ---- plug-in API ----

Subscriber& World::attach(std::unique_ptr<Subscriber> subscriber) {
  attached_.push_back(std::move(subscriber));
  return *attached_.back();
}

HandlerId World::add_borrower_handler(std::string_view name, HandlerFn fn, void* context) {
  // The prefetch has the World as its own context, whoever handles the event: a
  // plug-in's borrower handler (notification_retry, multi_channel, ...) gets it too.
  return kernel_.add_handler(name, fn, context, Prefetch{prefetch_borrower, this});
}

ReceiptMonitor& World::receipt_monitor() {
  if (!monitor_.enabled()) monitor_.enable(vendors_.size(), scenario_.horizon);
  return monitor_;
}

std::uint64_t World::fault_salt(int fault_index) {
  return mix64(0x6661756c74ULL + static_cast<std::uint64_t>(fault_index)) & ~0xffffffffULL;
}

void World::disable_notifications(const Window& w) {
  disabled_.push_back({w});
}
void World::pause_channel(int channel, const Window& w, bool resend) {
  pauses_.push_back({channel, w, resend});
}
void World::stale_due_list(const Window& w, SimTime lag, double missing_share, std::uint64_t salt) {
  stale_.push_back({w, lag, missing_share, salt});
  paid_at_s_.assign(population_.size(), UINT32_MAX);
}

int World::rail_index(const ParamValue& name) const {
  const int r = scenario_.payments.rail_index(name.text);
  if (r >= 0) return r;
  std::string known;
  for (const RailSpec& rail : scenario_.payments.rails)
    known += (known.empty() ? "" : ", ") + rail.name;
  throw PluginError(
      "unknown payment rail '" + name.text + "'; rails declared under payments.rails: " + known,
      name.loc);
}

void World::resend_batch(std::uint32_t rule, std::uint32_t day, SimTime at) {
  kernel_.schedule_at(at, h_resend_, rule, day);
}

void World::reenable_notifications(SimTime now, SimTime at) {
  for (DisabledWindow& d : disabled_)
    if (d.w.contains(now)) d.detected_at = std::min(d.detected_at, at);
}

void World::fail_over(SimTime now) {
  router_.failed_over = true;
  router_.switched_at = now;
  ++counters_.failovers;
}

void World::fail_back(SimTime now) {
  router_.failed_over = false;
  router_.switched_at = now;
}

void World::detected(SimTime t) {
  first_detection_ = std::min(first_detection_, t);
}

void World::recovered(SimTime t) {
  first_recovery_ = std::min(first_recovery_, t);
}

void World::configure(const StrategySpec& strategy) {
  // Plug-in code throws std::invalid_argument for a bad combination; it becomes a
  // PluginError at the plug-in's place in the file.
  auto guarded = [](const std::string& type, SourceLoc loc, auto&& apply) {
    try {
      apply();
    } catch (const PluginError&) {
      throw;
    } catch (const std::invalid_argument& e) {
      throw PluginError(type + ": " + e.what(), loc);
    }
  };
  for (const ScheduledFault& f : schedule_.faults()) {
    const FaultPlugin* plugin = fault_registry().find(f.type);
    if (plugin == nullptr) throw std::logic_error("fault '" + f.type + "' is not registered");
    // The incident timeline starts with the first window of a fault the model sees.
    if (!plugin->info.network)
      for (const Window& w : f.windows)
        if (w.start < first_fault_start_) first_fault_start_ = w.start, first_fault_end_ = w.end;
    const SourceLoc& loc = scenario_.faults[static_cast<std::size_t>(f.index)].loc;
    if (plugin->apply != nullptr) guarded(f.type, loc, [&] { plugin->apply(f, *this); });
    if (plugin->apply_sms != nullptr)
      guarded(f.type, loc, [&] { plugin->apply_sms(f, sms_path()); });
  }
  for (const PluginUse& m : strategy.mitigations) {
    const MitigationPlugin* plugin = mitigation_registry().find(m.type);
    if (plugin == nullptr) throw std::logic_error("mitigation '" + m.type + "' is not registered");
    if (plugin->apply != nullptr) guarded(m.type, m.loc, [&] { plugin->apply(m, *this); });
  }
  if (track_receipts_) receipts_.assign(population_.size(), 0);
}

void World::set_carry(std::span<const std::uint8_t> carry) {
  require(carry.size() == population_.size(), "one carried state per borrower");
  carry_ = carry;
  outcome_.assign(population_.size(), kOutcomeNone);
}

// ---- run ----

// Per-borrower events come in time order, so borrowers come in random order and their
// array entries are cache misses: the kernel calls this with the next event while the
// current one runs (docs/performance.md).
void World::prefetch_borrower(const void* self, const Event& next) {
  const auto& w = *static_cast<const World*>(self);
  const std::uint32_t i = next.target;
  if (i >= w.borrowers_.size()) return;
  __builtin_prefetch(&w.borrowers_[i]);
  if (!w.receipts_.empty()) __builtin_prefetch(&w.receipts_[i]);
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
  if (hooks_.any(Hook::kMonitorTick)) kernel_.schedule_at(monitor_.interval, h_monitor_, 0, 0);
}

RunOutput World::run() {
  paid_before_reporting_ = paid_before_reporting(scenario_, lender_.grace_period_extra);
  schedule_world();
  const RunResult r =
      kernel_.run({.until = scenario_.horizon, .max_events = scenario_.limits.max_events});
  if (r.reason == StopReason::kEventLimit)
    throw RunLimitError(
        "run stopped after limits.max_events = " + std::to_string(r.events_processed) +
        " events at simulated time " + format_time(r.now) + " (run seed " +
        std::to_string(run_seed_) + "); raise limits.max_events if the scenario really needs more");
  // Payments scheduled beyond the horizon fall after grace (the parser guarantees the
  // horizon covers every due date plus grace): they are missed.
  for (std::uint32_t i = 0; i < borrowers_.size(); ++i)
    if ((borrowers_[i].state & kSettled) == 0) settle_missed(i);
  counters_.events = r.events_processed;
  // Raw instants only: compute_metrics derives time_to_detect_s and time_to_recover_s.
  counters_.first_fault_start = first_fault_start_;
  counters_.first_fault_end = first_fault_end_;
  counters_.first_detection = first_detection_;
  counters_.first_recovery = first_recovery_;
  check_invariants();
  return {counters_, r};
}

void World::require(bool ok, const std::string& what) const {
  if (!ok)
    throw std::logic_error("model invariant violated: " + what + " (scenario '" + scenario_.name +
                           "', run seed " + std::to_string(run_seed_) + ")");
}

void World::check_invariants() const {
  const Counters& c = counters_;
  require(c.payments_due == population_.size(), "every borrower has exactly one obligation due");
  require(c.paid_on_time + c.paid_late + c.missed_payments == c.payments_due,
          "each obligation ends in exactly one outcome");
  require(c.reported_delinquencies <= c.missed_payments, "only missed payments are reported");
  require(c.reminders_delivered <= c.reminders_scheduled,
          "no more reminders delivered than scheduled");
  require(c.sms_dropped + c.sms_expired + c.sms_failed <= c.sms_sent,
          "no more lost messages than messages sent");
  require(c.reminders_seen <= c.messages_delivered,
          "a reminder is seen only after it is delivered");
  require(c.sms_to_unreachable == 0,
          "no reminder delivered on a channel the borrower cannot receive");
  require(c.charges == c.paid_on_time + c.paid_late + c.duplicate_charges,
          "each obligation is settled by at most one charge, unless a duplicate charge is recorded "
          "as such");
  require(c.postings == c.charges, "no charge without a posting");
  require(c.borrowers_attempted <= c.payments_due && c.borrowers_attempted <= c.payment_attempts,
          "a borrower attempts at most once per obligation counted, and no more borrowers than "
          "attempts");
  require(c.charges_before_attempt == 0, "no payment is recorded before the borrower attempted it");
  std::uint64_t by_cause = 0;
  for (const std::uint64_t n : c.payment_failures_by_cause) by_cause += n;
  require(by_cause == c.payment_failures, "every failed payment attempt has exactly one cause");
  require(c.borrowers_with_failure <= c.borrowers_attempted &&
              c.borrowers_with_failure <= c.payment_failures,
          "a borrower with a failed attempt attempted, and had at least one failure");
  require(c.payment_failures + c.charges + c.duplicates_prevented <= c.payment_attempts,
          "no more payment outcomes than attempts");
  require(c.collections_contacts <= c.collections_calls, "no more collections contacts than calls");
  // Plug-ins check their own (idempotency keys: no duplicate charge).
  for (Subscriber* s : hooks_[Hook::kRunEnd]) s->run_end(c);
}

}  // namespace faultline
