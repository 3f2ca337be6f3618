// Borrowers: who pays unprompted, who needs a reminder, what seeing one does, and how each
// obligation ends (on time, late within grace, missed, reported); the payment attempt
// itself is journey.cc. Every draw is keyed by the borrower (stream "borrower/behaviour"),
// so the same borrower behaves the same way in every strategy. Defaults and sources:
// docs/model.md.
#include <algorithm>
#include <cmath>

#include "sim/model/cycles.h"
#include "sim/model/world.h"

namespace faultline {

namespace {
// Keys of the per-borrower behaviour draws: fixed numbers, not draw order, so a new
// behaviour gets a new key and shifts nothing else.
enum BehaviourKey : std::uint64_t {
  kForgets = 0,
  kActsOnReminder = 1,
  kReminderDelay = 2,
  kUnpromptedLead = 3,
  kCures = 4,
  kCureDelay = 5,
  kReported = 6,
  kNonResponder = 7,
  kActsOnOverdue = 8,
  kOverdueDelay = 9,
};
}  // namespace

double World::channel_effect(Channel channel) const {
  switch (channel) {
    case Channel::sms:
      return scenario_.sms.effect;
    case Channel::push:
      return scenario_.push.effect;
    case Channel::email:
      return scenario_.email.effect;
    case Channel::in_app:
      return scenario_.in_app.effect;
  }
  return 0;
}

double World::forget_probability(std::uint32_t i) const {
  const BehaviourSpec& b = scenario_.population.behaviour;
  if (carry_.empty()) return b.forget_without_reminder;
  const int bucket = bucket_of(carry_[i]);
  return bucket == 0 ? b.forget_without_reminder
                     : b.forget_by_bucket[static_cast<std::size_t>(bucket - 1)];
}

void World::on_due_list(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const Population& p = w.population_;
  const BehaviourSpec& b = w.scenario_.population.behaviour;
  for (std::uint32_t j = p.day_start[e.target]; j < p.day_start[e.target + 1]; ++j) {
    const std::uint32_t i = p.by_due_day[j];
    ++w.counters_.payments_due;
    w.counters_.amount_due += p.amount[i];
    if (w.borrowers_[i].state & (kSettled | kPaymentScheduled)) continue;
    if (w.channels_.autopay(i, w.lender_.autopay_share) ||
        (!w.carry_.empty() && (w.carry_[i] & kCarryAutopay))) {
      // Automatic payment runs on the due date and removes forgetting (Gathergood et al.
      // 2019: late fees "all but eliminated" after switching).
      w.borrowers_[i].state |= kAutopay;
      w.schedule_payment(i, std::max(k.now(), w.deadline(i) - 12 * kHour));
      continue;
    }
    if (w.behaviour_.bernoulli(w.forget_probability(i), i, kForgets)) continue;
    // Unprompted payers pay some time in the lead-up, strictly before the deadline.
    const SimTime lead = std::min(b.unprompted_lead, w.deadline(i) - k.now());
    const auto before = std::max<SimTime>(
        1, round_to_time(w.behaviour_.uniform01(i, kUnpromptedLead) * static_cast<double>(lead)));
    w.schedule_payment(i, w.deadline(i) - before);
  }
}

void World::saw_reminder(std::uint32_t i, Channel channel, std::uint32_t rule) {
  ++counters_.reminders_seen;
  if ((borrowers_[i].state & kSawReminder) == 0) {
    borrowers_[i].state |= kSawReminder;
    ++counters_.borrowers_saw_reminder;
  }
  if (borrowers_[i].state & (kSettled | kPaymentScheduled)) return;
  if (dunning_ && kernel_.now() >= deadline(i)) {
    saw_overdue_reminder(i, channel);
    return;
  }
  const BehaviourSpec& b = scenario_.population.behaviour;
  // Only a borrower who would forget needs the nudge; the others pay unprompted anyway.
  if (!behaviour_.bernoulli(forget_probability(i), i, kForgets)) return;
  // One draw per borrower against the strongest channel seen so far: a second reminder
  // on the same channel adds nothing (Bursztyn et al. 2019), a stronger channel can.
  if (b.non_responders > 0 && behaviour_.bernoulli(b.non_responders, i, kNonResponder)) return;
  const double propensity = std::min(1.0, b.pay_after_reminder / (1.0 - b.non_responders));
  if (behaviour_.uniform01(i, kActsOnReminder) >= propensity * channel_effect(channel)) return;
  const SimTime delay =
      behaviour_.exponential_time(static_cast<double>(b.pay_delay_mean), i, kReminderDelay);
  schedule_payment(i, kernel_.now() + delay);
  // The payment may start from this reminder's link (journey.cc).
  borrowers_[i].state |= kViaReminder;
  if (!link_sent_s_.empty())
    link_sent_s_[i] = static_cast<std::uint32_t>(batch_time(i, rule) / kSecond);
}

// With a dunning schedule, a borrower still unpaid at the due date whose own time to pay
// falls after grace stays open (on_deadline) until grace ends: a reminder seen in between
// may prompt the payment (overdue_reminder_cure), one draw per borrower against the
// strongest channel seen, as before the due date. Borrowers already due to cure within
// grace keep their time: the reminder cannot change their outcome, only its day.
void World::saw_overdue_reminder(std::uint32_t i, Channel channel) {
  const SimTime now = kernel_.now();
  const SimTime grace_end = deadline(i) + scenario_.population.grace + lender_.grace_period_extra;
  if (now >= grace_end) return;  // past grace the obligation is missed already
  const BehaviourSpec& b = scenario_.population.behaviour;
  if (behaviour_.uniform01(i, kActsOnOverdue) >= b.overdue_reminder_cure * channel_effect(channel))
    return;
  const SimTime at =
      now + behaviour_.exponential_time(static_cast<double>(b.pay_delay_mean), i, kOverdueDelay);
  if (at >= grace_end) return;  // would pay after grace: no different from not acting
  ++counters_.overdue_reminder_payers;
  schedule_payment(i, at);
}

bool World::open_in_grace(std::uint32_t i) const {
  const SimTime now = kernel_.now();
  const SimTime grace_end = deadline(i) + scenario_.population.grace + lender_.grace_period_extra;
  return (borrowers_[i].state & (kSettled | kPaymentScheduled)) == 0 && now >= deadline(i) &&
         now < grace_end;
}

bool World::prompt_overdue(std::uint32_t i, double p, std::uint64_t key) {
  if (!open_in_grace(i) || !behaviour_.bernoulli(p, i, key)) return false;
  const SimTime grace_end = deadline(i) + scenario_.population.grace + lender_.grace_period_extra;
  const SimTime at =
      kernel_.now() +
      behaviour_.exponential_time(
          static_cast<double>(scenario_.population.behaviour.pay_delay_mean), i, key + 1);
  if (at >= grace_end) return false;  // would pay after grace: no different from not acting
  schedule_payment(i, at);
  return true;
}

void World::on_deadline(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const Population& p = w.population_;
  const BehaviourSpec& b = w.scenario_.population.behaviour;
  const SimTime base = w.scenario_.population.grace;
  const SimTime grace = base + w.lender_.grace_period_extra;
  for (std::uint32_t j = p.day_start[e.target]; j < p.day_start[e.target + 1]; ++j) {
    const std::uint32_t i = p.by_due_day[j];
    if (w.borrowers_[i].state & (kSettled | kPaymentScheduled)) continue;
    // Curing at a constant hazard calibrated so that a share `cure_within_grace` pays
    // within the base grace period; a longer grace (grace_period) lets more cure. A
    // borrower who already tried and gave up after a failure is no forgetter: her share
    // is `cure_after_failure`.
    const double u = w.behaviour_.uniform01(i, kCureDelay);
    const double share =
        w.borrowers_[i].attempts.last_failure != 0 ? b.cure_after_failure : b.cure_within_grace;
    const double c = std::min(share, 1.0 - 1e-12);
    const double t_cure =
        c > 0 ? static_cast<double>(base) * std::log1p(-u) / std::log1p(-c) : INFINITY;
    if (t_cure < static_cast<double>(grace))
      w.schedule_payment(i, k.now() + round_to_time(t_cure));
    else if (!w.dunning_)
      w.settle_missed(i);
    // With a dunning schedule the obligation stays open through grace, for an overdue
    // reminder to act on (saw_overdue_reminder); run() settles what is still open as
    // missed, so the counts do not depend on when that happens.
  }
}

void World::settle_missed(std::uint32_t i) {
  borrowers_[i].state =
      static_cast<std::uint8_t>((borrowers_[i].state | kSettled) & ~kPaymentScheduled);
  ++counters_.missed_payments;
  counters_.missed_amount += population_.amount[i];
  if (!outcome_.empty()) outcome_[i] = kOutcomeMissed;
  if (borrowers_[i].attempts.last_failure == static_cast<int>(PaymentFailure::otp) + 1)
    ++counters_.blocked_by_otp;
  if (borrowers_[i].attempts.last_failure == static_cast<int>(PaymentFailure::risk) + 1)
    ++counters_.blocked_by_risk;
  if (!behaviour_.bernoulli(paid_before_reporting_, i, kReported))
    ++counters_.reported_delinquencies;
}

double World::paid_before_reporting(const Scenario& s, SimTime grace_extra) {
  // Missed borrowers pay at a constant hazard from the end of grace, calibrated so that
  // `cure_before_reporting` of them pay by 30 days past due (kReportingReference); the
  // share paid before the scenario's reporting_threshold follows from it. A base grace
  // past the reference calibrates at the threshold itself.
  const BehaviourSpec& b = s.population.behaviour;
  const SimTime end_of_grace = s.population.grace + grace_extra;
  const SimTime window = b.reporting_threshold - end_of_grace;
  if (window <= 0) return 0;  // reported the moment grace ends
  const SimTime reference = s.population.grace < kReportingReference
                                ? kReportingReference - s.population.grace
                                : b.reporting_threshold - s.population.grace;
  if (window == reference) return b.cure_before_reporting;  // exactly: no rounding
  const double x = static_cast<double>(window) / static_cast<double>(reference);
  return -std::expm1(x * std::log1p(-std::min(b.cure_before_reporting, 1.0 - 1e-12)));
}

void World::schedule_payment(std::uint32_t borrower, SimTime at) {
  borrowers_[borrower].state |= kPaymentScheduled;
  kernel_.schedule_at(at, h_payment_, borrower);
}

}  // namespace faultline
