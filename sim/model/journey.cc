// The payment attempt, step by step: app backend → screen (the app's copy of the core,
// through sync and cache) → reminder link → login one-time password → risk control →
// payment rail (with a fallback rail) → core posting → confirmation. The first step that
// fails names the cause; the borrower then retries, switches from the app to the web,
// gives up, or contacts support. A charged payment the app does not confirm makes some
// borrowers pay again: a duplicate charge unless idempotency keys refuse it.
//
// Draws: the platform's in PaymentSystem ("payment/platform"), the borrower's choices
// here ("payment/borrower"), both keyed by (borrower, attempt number), so a strategy
// that changes one step leaves every other step's luck alone. Sources: docs/model.md.
#include <algorithm>
#include <cmath>

#include "sim/model/world.h"

namespace faultline {

namespace {
// Sub-keys of the borrower's draws; the attempt number is in the low bits.
constexpr std::uint64_t kUsesApp = 0x1000;
constexpr std::uint64_t kTapsLink = 0x2000;
constexpr std::uint64_t kOtpNeeded = 0x3000;
constexpr std::uint64_t kRetry = 0x4000;
constexpr std::uint64_t kRetryDelay = 0x5000;
constexpr std::uint64_t kSwitch = 0x6000;
constexpr std::uint64_t kSupport = 0x7000;
constexpr std::uint64_t kPayAgain = 0x8000;
constexpr std::uint64_t kPayAgainDelay = 0x9000;
constexpr std::uint64_t kOtpKey = 1ULL
                                  << 48;  // OTP messages: apart from every reminder's MessageKey
}  // namespace

bool World::cutover_affects(std::uint32_t borrower, SimTime start, SimTime t) const {
  // Every borrower moves to the new core unless a subscriber (staged_cutover) keeps them.
  for (Subscriber* s : hooks_[Hook::kNewCore])
    if (!s->new_core(borrower, start, t)) return false;
  return true;
}

SimTime World::frozen_from(std::uint32_t borrower, SimTime t) const {
  const PostingOutage* p = payments_.posting_outage_at(t, true);
  return p != nullptr && cutover_affects(borrower, p->start, t) ? p->start : kTimeNever;
}

PaymentAdvice World::advice(SimTime t) const {
  PaymentAdvice a;
  if (hooks_.any(Hook::kPaymentAdvice)) [[unlikely]]
    hooks_.emit_payment_advice(t, a);
  return a;
}

void World::on_payment(void* self, Kernel& k, const Event& e) {
  auto& w = *static_cast<World*>(self);
  const std::uint32_t i = e.target;
  w.borrowers_[i].state &= static_cast<std::uint8_t>(~kPaymentScheduled);
  if (k.now() >= w.deadline(i) + w.scenario_.population.grace + w.lender_.grace_period_extra) {
    ++w.counters_.payment_attempts;  // too late: the obligation is already missed
    w.settle_missed(i);
    return;
  }
  w.attempt(i, false);
}

// A borrower who paid but saw no confirmation pays again.
void World::on_repay(void* self, Kernel&, const Event& e) {
  static_cast<World*>(self)->attempt(e.target, true);
}

void World::attempt(std::uint32_t i, bool repay) {
  const SimTime t = kernel_.now();
  ++counters_.payment_attempts;
  if ((borrowers_[i].state & kAttempted) == 0) ++counters_.borrowers_attempted;
  borrowers_[i].state |= kAttempted;
  Attempts& a = borrowers_[i].attempts;
  const std::uint64_t key = a.total;
  if (a.total < 255) ++a.total;
  if (a.session < 255) ++a.session;
  if (hooks_.any(Hook::kPaymentAttempt)) [[unlikely]]
    hooks_.emit_payment_attempt(i, repay);
  // Direct debit: no app, no login, no card rail.
  const int result = (borrowers_[i].state & kAutopay) ? -1 : journey(i, key, t);
  if (result >= 0) {
    count_failure(static_cast<PaymentFailure>(result));
    if ((borrowers_[i].state & kFailed) == 0) ++counters_.borrowers_with_failure;
    borrowers_[i].state |= kFailed;
    // A second payment that fails just stops: the first one went through.
    if (!repay) fail(i, key, static_cast<PaymentFailure>(result));
    return;
  }
  const bool first = (borrowers_[i].state & kSettled) == 0;
  charge(i);
  if (first && (borrowers_[i].state & kAutopay) == 0) confirm(i, key);
}

int World::journey(std::uint32_t i, std::uint64_t key, SimTime t) {
  const PaymentsSpec& ps = scenario_.payments;
  const bool via_reminder = (borrowers_[i].state & kViaReminder) != 0;
  borrowers_[i].state &= static_cast<std::uint8_t>(~kViaReminder);
  if (payments_.backend_fails(t, i, key)) return static_cast<int>(PaymentFailure::overload);
  const bool link =
      via_reminder && !link_sent_s_.empty() && journey_luck_.bernoulli(ps.link_share, i, kTapsLink);
  // Links open the web page; otherwise app users mostly pay in the app.
  if (!link && (borrowers_[i].state & kOnWeb) == 0 && payments_.garbled(t, i) &&
      channels_.app_user(i) && journey_luck_.bernoulli(ps.app_share, i, key | kUsesApp))
    return static_cast<int>(PaymentFailure::garbled_screen);
  const SimTime view = payments_.view_time(t, i, key, frozen_from(i, t), false);
  if (link) {
    const SimTime sent = static_cast<SimTime>(link_sent_s_[i]) * kSecond;
    // A token the app's copy of the data does not know yet is as dead as an expired one.
    if (!payments_.link_valid(sent, t) || view < sent) {
      ++counters_.link_expired_errors;
      bool refreshed = false;
      for (Subscriber* s : hooks_[Hook::kLinkExpired]) refreshed = refreshed || s->link_expired(i);
      if (!refreshed) return static_cast<int>(PaymentFailure::link_expired);
    }
  }
  if (view < deadline(i) - ps.statement_lead) {  // the screen shows no instalment yet
    ++counters_.stale_views;
    return static_cast<int>(PaymentFailure::stale_view);
  }
  if (ps.otp_sms_share > 0 && journey_luck_.bernoulli(ps.otp_sms_share, i, key | kOtpNeeded) &&
      !otp_arrives(i, key, t)) {
    ++counters_.otp_failures;
    if (!second_factor(i)) return static_cast<int>(PaymentFailure::otp);
  }
  if (payments_.risk_blocks(t, i, key)) return static_cast<int>(PaymentFailure::risk);
  if (const int rail = payments_.rail_of(i); payments_.rail_fails(rail, t, i, key)) {
    int fallback = -1;
    for (Subscriber* s : hooks_[Hook::kRailFailed])
      if (fallback < 0) fallback = s->rail_failed(rail);
    if (fallback < 0 || payments_.rail_fails(fallback, t, i, key))
      return static_cast<int>(PaymentFailure::gateway);
  }
  if (const PostingOutage* p = payments_.posting_outage_at(t, false);
      p && cutover_affects(i, p->start, t))
    return static_cast<int>(PaymentFailure::core);
  return -1;
}

bool World::otp_arrives(std::uint32_t i, std::uint64_t key, SimTime t) const {
  const int v = router_.current();
  const std::uint64_t k = kOtpKey | key;
  const SimTime handed = vendors_[static_cast<std::size_t>(v)].otp_handoff(t, i, k);
  if (handed == kTimeNever) return false;
  const SimTime expires = t + scenario_.payments.otp_validity;
  const CarrierResult r = carriers_.carry(handed, expires, i, borrowers_[i].carrier,
                                          otp_vendors_[static_cast<std::size_t>(v)], v, k);
  return r.fate == CarrierFate::kDelivered && r.at <= expires;
}

bool World::second_factor(std::uint32_t i) const {
  for (Subscriber* s : hooks_[Hook::kSecondFactor])
    if (s->second_factor(i)) return true;
  return false;
}

void World::charge(std::uint32_t i) {
  const SimTime t = kernel_.now();
  if ((borrowers_[i].state & kAttempted) == 0) ++counters_.charges_before_attempt;
  if (borrowers_[i].state & kSettled) {
    if (hooks_.any(Hook::kDuplicateCharge) && hooks_.emit_duplicate_charge(i)) {
      ++counters_.duplicates_prevented;
      return;
    }
    ++counters_.charges;
    ++counters_.postings;
    ++counters_.duplicate_charges;
    counters_.duplicate_amount += population_.amount[i];
    ++counters_.support_contacts;  // to get the refund
    return;
  }
  ++counters_.charges;
  ++counters_.postings;  // posting is synchronous; a core that cannot post refuses the payment
  counters_.series.add(Series::payments, t);
  borrowers_[i].state =
      static_cast<std::uint8_t>((borrowers_[i].state | kSettled) & ~kPaymentScheduled);
  if (!paid_at_s_.empty()) paid_at_s_[i] = static_cast<std::uint32_t>(t / kSecond);
  if (t < deadline(i))
    ++counters_.paid_on_time;
  else
    ++counters_.paid_late;
  if (!outcome_.empty()) outcome_[i] = t < deadline(i) ? kOutcomeOnTime : kOutcomeLate;
}

void World::confirm(std::uint32_t i, std::uint64_t key) {
  const PaymentsSpec& ps = scenario_.payments;
  const SimTime t = kernel_.now();
  const PostingOutage* unsynced = payments_.posting_outage_at(t, true);
  const SimTime unsynced_end =
      unsynced != nullptr && cutover_affects(i, unsynced->start, t) ? unsynced->end : kTimeNever;
  const SimTime shown = payments_.confirmation_time(t, i, key, unsynced_end);
  if (shown - t <= ps.confirmation_patience) return;
  ++counters_.unconfirmed_payments;
  ++counters_.stale_views;  // the screen after paying still shows the instalment as due
  double p = ps.unconfirmed_retry;
  if (const PaymentAdvice a = advice(t); a.banner) p *= 1.0 - a.retry_reduction;
  if (!journey_luck_.bernoulli(p, i, key | kPayAgain)) return;
  const SimTime at = t + ps.confirmation_patience +
                     journey_luck_.exponential_time(static_cast<double>(ps.retry_delay_mean), i,
                                                    key | kPayAgainDelay);
  // Once the app shows the payment, the borrower does not pay again.
  if (at < shown && at < scenario_.horizon) kernel_.schedule_at(at, h_repay_, i);
}

void World::fail(std::uint32_t i, std::uint64_t key, PaymentFailure cause) {
  const PaymentsSpec& ps = scenario_.payments;
  const SimTime t = kernel_.now();
  borrowers_[i].attempts.last_failure = static_cast<std::uint8_t>(static_cast<int>(cause) + 1);
  if (hooks_.any(Hook::kPaymentFailed)) [[unlikely]]
    hooks_.emit_payment_failed(i, cause);
  const PaymentAdvice a = advice(t);
  const bool banner = a.banner;
  if (borrowers_[i].attempts.session < ps.max_attempts &&
      journey_luck_.bernoulli(ps.retry_probability, i, key | kRetry)) {
    SimTime delay = journey_luck_.exponential_time(static_cast<double>(ps.retry_delay_mean), i,
                                                   key | kRetryDelay);
    // The banner says the problem is known: borrowers come back later instead of at once.
    if (banner) delay = std::max(delay, a.wait);
    if (cause == PaymentFailure::garbled_screen &&
        journey_luck_.bernoulli(ps.switch_channel, i, key | kSwitch))
      borrowers_[i].state |= kOnWeb;
    if (t + delay < scenario_.horizon) {
      schedule_payment(i, t + delay);
      return;
    }
  }
  // Gives up for now: a later reminder or the grace period may bring the borrower back.
  borrowers_[i].attempts.session = 0;
  double p = ps.support_contact;
  if (banner) p *= 1.0 - a.support_reduction;
  if (journey_luck_.bernoulli(p, i, key | kSupport)) ++counters_.support_contacts;
}

void World::count_failure(PaymentFailure cause) {
  ++counters_.payment_failures;
  ++counters_.payment_failures_by_cause[static_cast<std::size_t>(cause)];
}

}  // namespace faultline
