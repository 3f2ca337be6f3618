#include "sim/metrics/metrics.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace faultline {

const std::array<MetricInfo, kMetricCount> kMetrics = {{
    {Metric::reminders_scheduled, "reminders_scheduled", "messages",
     "reminders the due list asked to send (one per unpaid borrower per reminder rule)"},
    {Metric::reminders_delivered, "reminders_delivered", "messages",
     "reminders that reached the borrower's handset within the horizon"},
    {Metric::notification_loss_rate, "notification_loss_rate", "ratio",
     "1 - reminders_delivered / reminders_scheduled (0 when nothing was scheduled)"},
    {Metric::sms_sent, "sms_sent", "messages", "messages accepted by an SMS vendor"},
    {Metric::sms_cost, "sms_cost", "currency", "sum of cost_per_message over sms_sent"},
    {Metric::payments_due, "payments_due", "obligations", "instalments falling due in the run"},
    {Metric::paid_on_time, "paid_on_time", "obligations", "paid by the end of the due day"},
    {Metric::paid_late, "paid_late", "obligations", "paid after the due day, within grace"},
    {Metric::missed_payments, "missed_payments", "obligations",
     "not paid by the end of the grace period"},
    {Metric::missed_payment_rate, "missed_payment_rate", "ratio", "missed_payments / payments_due"},
    {Metric::late_payment_rate, "late_payment_rate", "ratio", "paid_late / payments_due"},
    {Metric::borrowers_reminded, "borrowers_reminded", "borrowers",
     "borrowers who received at least one reminder"},
    {Metric::payment_attempts, "payment_attempts", "attempts",
     "payment attempts: first tries, retries, second payments, autopay debits"},
    {Metric::delivery_latency_p50_s, "delivery_latency_p50_s", "seconds",
     "median time from the reminder batch to the handset, over delivered messages (within 1 "
     "% of the exact order statistic)"},
    {Metric::delivery_latency_p95_s, "delivery_latency_p95_s", "seconds",
     "95th percentile of the same (within 1 %)"},
    {Metric::delivery_latency_p99_s, "delivery_latency_p99_s", "seconds",
     "99th percentile of the same (within 1 %)"},
    {Metric::delivery_latency_mean_s, "delivery_latency_mean_s", "seconds",
     "mean of the same (exact)"},
    {Metric::reported_delinquencies, "reported_delinquencies", "obligations",
     "missed payments still unpaid at the reporting threshold (reported to credit bureaus)"},
    {Metric::reported_delinquency_rate, "reported_delinquency_rate", "ratio",
     "reported_delinquencies / payments_due"},
    {Metric::reminders_seen, "reminders_seen", "messages",
     "delivered reminders the borrower looked at"},
    {Metric::borrowers_saw_reminder, "borrowers_saw_reminder", "borrowers",
     "borrowers who saw at least one reminder"},
    {Metric::messages_delivered, "messages_delivered", "messages",
     "messages delivered on any channel, including fallbacks, retries and duplicates"},
    {Metric::push_sent, "push_sent", "messages", "push notifications sent"},
    {Metric::email_sent, "email_sent", "messages", "reminder e-mails sent"},
    {Metric::in_app_sent, "in_app_sent", "messages", "in-app inbox messages posted"},
    {Metric::sms_undeliverable, "sms_undeliverable", "messages",
     "SMS the carrier could not deliver (suspended number)"},
    {Metric::sms_retries, "sms_retries", "messages", "SMS re-sent by notification_retry"},
    {Metric::reminders_after_payment, "reminders_after_payment", "messages",
     "reminders sent from a stale due list to borrowers who had already paid"},
    {Metric::batches_suppressed, "batches_suppressed", "batches",
     "reminder batches the notification service did not send (core cutover, pause)"},
    {Metric::failovers, "failovers", "switches", "times SMS traffic moved to the secondary vendor"},
    {Metric::time_to_detect_s, "time_to_detect_s", "seconds",
     "first detection by a monitor - start of the first fault (null: no fault, or never detected)"},
    {Metric::time_to_recover_s, "time_to_recover_s", "seconds",
     "first corrective action (failover, alarm) or end of the first fault window, whichever is "
     "earlier, "
     "- start of the first fault (null: no fault)"},
    {Metric::sms_latency_p50_s, "sms_latency_p50_s", "seconds",
     "median reminder batch → handset time, SMS"},
    {Metric::sms_latency_p95_s, "sms_latency_p95_s", "seconds", "95th percentile, SMS"},
    {Metric::sms_latency_p99_s, "sms_latency_p99_s", "seconds", "99th percentile, SMS"},
    {Metric::push_latency_p50_s, "push_latency_p50_s", "seconds",
     "median reminder batch → device time, push"},
    {Metric::push_latency_p95_s, "push_latency_p95_s", "seconds", "95th percentile, push"},
    {Metric::push_latency_p99_s, "push_latency_p99_s", "seconds", "99th percentile, push"},
    {Metric::email_latency_p50_s, "email_latency_p50_s", "seconds",
     "median reminder batch → mailbox time, e-mail"},
    {Metric::email_latency_p95_s, "email_latency_p95_s", "seconds", "95th percentile, e-mail"},
    {Metric::email_latency_p99_s, "email_latency_p99_s", "seconds", "99th percentile, e-mail"},
    {Metric::in_app_latency_p50_s, "in_app_latency_p50_s", "seconds",
     "median reminder batch → in-app inbox time"},
    {Metric::in_app_latency_p95_s, "in_app_latency_p95_s", "seconds", "95th percentile, in-app"},
    {Metric::in_app_latency_p99_s, "in_app_latency_p99_s", "seconds", "99th percentile, in-app"},
    {Metric::amount_due, "amount_due", "currency", "sum of the instalments due"},
    {Metric::missed_amount, "missed_amount", "currency", "sum of the missed instalments"},
    {Metric::missed_amount_rate, "missed_amount_rate", "ratio", "missed_amount / amount_due"},
    {Metric::borrowers_attempted, "borrowers_attempted", "borrowers",
     "borrowers who made at least one payment attempt"},
    {Metric::payment_failures, "payment_failures", "attempts",
     "payment attempts that failed, for any cause"},
    {Metric::payment_failure_rate, "payment_failure_rate", "ratio",
     "payment_failures / payment_attempts"},
    {Metric::borrowers_with_failure, "borrowers_with_failure", "borrowers",
     "borrowers with at least one failed payment attempt (per cycle)"},
    {Metric::borrower_failure_rate, "borrower_failure_rate", "ratio",
     "borrowers_with_failure / borrowers_attempted: how widely failures spread"},
    {Metric::payment_failures_overload, "payment_failures_overload", "attempts",
     "attempts that timed out or errored in an overloaded app backend"},
    {Metric::payment_failures_stale_view, "payment_failures_stale_view", "attempts",
     "attempts stopped by a screen showing no instalment (data not synced, or cached from before "
     "it)"},
    {Metric::payment_failures_link_expired, "payment_failures_link_expired", "attempts",
     "attempts that ended on a \"this link has expired\" page"},
    {Metric::payment_failures_otp, "payment_failures_otp", "attempts",
     "attempts whose login one-time password never arrived (and no other factor was offered)"},
    {Metric::payment_failures_garbled_screen, "payment_failures_garbled_screen", "attempts",
     "attempts on an app version that garbles the repayment screen"},
    {Metric::payment_failures_gateway, "payment_failures_gateway", "attempts",
     "attempts declined or errored by the payment rail (technical declines, gateway outages)"},
    {Metric::payment_failures_risk, "payment_failures_risk", "attempts",
     "legitimate attempts blocked by risk control (false positives)"},
    {Metric::payment_failures_core, "payment_failures_core", "attempts",
     "attempts refused because the core could not post the payment"},
    {Metric::charges, "charges", "charges",
     "successful charges, each posted to the core (duplicates included)"},
    {Metric::duplicate_charges, "duplicate_charges", "charges",
     "second charges for an obligation already paid (refunds owed)"},
    {Metric::duplicate_amount, "duplicate_amount", "currency", "sum of the duplicate charges"},
    {Metric::duplicates_prevented, "duplicates_prevented", "attempts",
     "second payments of an obligation refused by idempotency keys"},
    {Metric::unconfirmed_payments, "unconfirmed_payments", "charges",
     "charges the app did not confirm within the borrower's patience"},
    {Metric::stale_views, "stale_views", "views",
     "screens that showed data older than the borrower's own last change (instalment or payment)"},
    {Metric::link_expired_errors, "link_expired_errors", "taps",
     "reminder links found expired when tapped, including the ones link_refresh re-issued"},
    {Metric::otp_failures, "otp_failures", "logins",
     "SMS one-time passwords that did not arrive within their validity, including those rescued by "
     "non_sms_otp"},
    {Metric::support_contacts, "support_contacts", "contacts",
     "borrowers who contacted support: after giving up on a failing payment, or to get a duplicate "
     "refunded"},
    {Metric::blocked_by_otp, "blocked_by_otp", "obligations",
     "missed payments whose borrower's last attempt failed on the one-time password"},
    {Metric::blocked_by_risk, "blocked_by_risk", "obligations",
     "missed payments whose borrower's last attempt was blocked by risk control"},
    {Metric::cure_rate, "cure_rate", "ratio",
     "of the obligations unpaid at the due date, the share paid within grace: paid_late / "
     "(paid_late + missed_payments)"},
    {Metric::overdue_reminder_payers, "overdue_reminder_payers", "borrowers",
     "borrowers an overdue (after_due) reminder prompted to pay within grace, who would not have "
     "paid in time on their own"},
    {Metric::dpd_1_29_rate, "dpd_1_29_rate", "ratio",
     "population.cycles > 1: share of borrowers 1-29 days past due (one instalment behind) at the "
     "end of the last cycle"},
    {Metric::dpd_30_59_rate, "dpd_30_59_rate", "ratio",
     "population.cycles > 1: share of borrowers 30-59 days past due (two behind) at the end of the "
     "last cycle"},
    {Metric::dpd_60_plus_rate, "dpd_60_plus_rate", "ratio",
     "population.cycles > 1: share of borrowers 60+ days past due (three or more behind) at the "
     "end "
     "of the last cycle"},
    {Metric::dpd_30_plus_rate, "dpd_30_plus_rate", "ratio",
     "population.cycles > 1: share of borrowers 30+ days past due (two or more behind) at the end "
     "of the last cycle: dpd_30_59_rate + dpd_60_plus_rate"},
    {Metric::ever_30dpd_rate, "ever_30dpd_rate", "ratio",
     "population.cycles > 1: share of borrowers 30+ days past due at the end of some cycle"},
    {Metric::roll_rate_current_to_1_29, "roll_rate_current_to_1_29", "ratio",
     "population.cycles > 1: of the borrowers current at a cycle's start, the share 1-29 days past "
     "due at its end (over every cycle)"},
    {Metric::roll_rate_1_29_to_30_59, "roll_rate_1_29_to_30_59", "ratio",
     "population.cycles > 1: of the borrowers 1-29 days past due at a cycle's start, the share "
     "30-59 at its end"},
    {Metric::roll_rate_30_59_to_60_plus, "roll_rate_30_59_to_60_plus", "ratio",
     "population.cycles > 1: of the borrowers 30-59 days past due at a cycle's start, the share "
     "60+ "
     "at its end"},
    {Metric::autopay_adopted, "autopay_adopted", "borrowers",
     "population.cycles > 1: borrowers who enrolled in autopay after a late fee "
     "(behaviour.autopay_after_late_fee)"},
    {Metric::collections_calls, "collections_calls", "calls",
     "collections_call: calls placed to borrowers unpaid after_due into grace (at most the "
     "day's capacity, agent_hours x calls_per_agent_hour, each day)"},
    {Metric::collections_contacts, "collections_contacts", "calls",
     "collections_call: of those calls, the ones that reached the borrower (right-party "
     "contact, contact_rate)"},
}};

MetricValues compute_metrics(const Counters& c) {
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  MetricValues v{};
  auto set = [&v](Metric m, double x) { v[static_cast<int>(m)] = x; };
  set(Metric::reminders_scheduled, static_cast<double>(c.reminders_scheduled));
  set(Metric::reminders_delivered, static_cast<double>(c.reminders_delivered));
  set(Metric::notification_loss_rate, c.reminders_scheduled > 0
                                          ? 1.0 - ratio(static_cast<double>(c.reminders_delivered),
                                                        static_cast<double>(c.reminders_scheduled))
                                          : 0.0);
  set(Metric::sms_sent, static_cast<double>(c.sms_sent));
  set(Metric::sms_cost, c.sms_cost);
  set(Metric::payments_due, static_cast<double>(c.payments_due));
  set(Metric::paid_on_time, static_cast<double>(c.paid_on_time));
  set(Metric::paid_late, static_cast<double>(c.paid_late));
  set(Metric::missed_payments, static_cast<double>(c.missed_payments));
  set(Metric::missed_payment_rate,
      ratio(static_cast<double>(c.missed_payments), static_cast<double>(c.payments_due)));
  set(Metric::late_payment_rate,
      ratio(static_cast<double>(c.paid_late), static_cast<double>(c.payments_due)));
  set(Metric::borrowers_reminded, static_cast<double>(c.borrowers_reminded));
  set(Metric::payment_attempts, static_cast<double>(c.payment_attempts));
  set(Metric::delivery_latency_p50_s, c.delivery_latency_sketch.quantile_s(0.50));
  set(Metric::delivery_latency_p95_s, c.delivery_latency_sketch.quantile_s(0.95));
  set(Metric::delivery_latency_p99_s, c.delivery_latency_sketch.quantile_s(0.99));
  set(Metric::delivery_latency_mean_s, c.delivery_latency_sketch.mean_s());
  auto count = [](std::uint64_t n) { return static_cast<double>(n); };
  set(Metric::cure_rate, ratio(count(c.paid_late), count(c.paid_late + c.missed_payments)));
  set(Metric::overdue_reminder_payers, count(c.overdue_reminder_payers));
  {
    // One cycle: no bucket has a value (NaN, null in results.json).
    const CycleCounts& y = c.cycles;
    const double none = std::numeric_limits<double>::quiet_NaN();
    const double n = count(y.borrowers);
    auto share = [&](double x) { return y.cycles > 0 ? ratio(x, n) : none; };
    auto roll = [&](std::size_t from) {
      std::uint64_t total = 0;
      for (const std::uint64_t k : y.rolls[from]) total += k;
      return y.cycles > 0 ? ratio(count(y.rolls[from][from + 1]), count(total)) : none;
    };
    set(Metric::dpd_1_29_rate, share(count(y.last[1])));
    set(Metric::dpd_30_59_rate, share(count(y.last[2])));
    set(Metric::dpd_60_plus_rate, share(count(y.last[3])));
    set(Metric::dpd_30_plus_rate, share(count(y.last[2] + y.last[3])));
    set(Metric::ever_30dpd_rate, share(count(y.ever_30dpd)));
    set(Metric::roll_rate_current_to_1_29, roll(0));
    set(Metric::roll_rate_1_29_to_30_59, roll(1));
    set(Metric::roll_rate_30_59_to_60_plus, roll(2));
    set(Metric::autopay_adopted, y.cycles > 0 ? count(y.autopay_adopted) : none);
  }
  set(Metric::collections_calls, count(c.collections_calls));
  set(Metric::collections_contacts, count(c.collections_contacts));
  set(Metric::reported_delinquencies, count(c.reported_delinquencies));
  set(Metric::reported_delinquency_rate,
      ratio(count(c.reported_delinquencies), count(c.payments_due)));
  set(Metric::reminders_seen, count(c.reminders_seen));
  set(Metric::borrowers_saw_reminder, count(c.borrowers_saw_reminder));
  set(Metric::messages_delivered, count(c.messages_delivered));
  set(Metric::push_sent, count(c.push_sent));
  set(Metric::email_sent, count(c.email_sent));
  set(Metric::in_app_sent, count(c.in_app_sent));
  set(Metric::sms_undeliverable, count(c.sms_undeliverable));
  set(Metric::sms_retries, count(c.sms_retries));
  set(Metric::reminders_after_payment, count(c.reminders_after_payment));
  set(Metric::batches_suppressed, count(c.batches_suppressed));
  set(Metric::failovers, count(c.failovers));
  set(Metric::amount_due, c.amount_due);
  set(Metric::missed_amount, c.missed_amount);
  set(Metric::missed_amount_rate, ratio(c.missed_amount, c.amount_due));
  set(Metric::borrowers_attempted, count(c.borrowers_attempted));
  set(Metric::payment_failures, count(c.payment_failures));
  set(Metric::payment_failure_rate, ratio(count(c.payment_failures), count(c.payment_attempts)));
  set(Metric::borrowers_with_failure, count(c.borrowers_with_failure));
  set(Metric::borrower_failure_rate,
      ratio(count(c.borrowers_with_failure), count(c.borrowers_attempted)));
  for (int cause = 0; cause < kPaymentFailureCount; ++cause)
    v[static_cast<std::size_t>(static_cast<int>(Metric::payment_failures_overload) + cause)] =
        count(c.payment_failures_by_cause[static_cast<std::size_t>(cause)]);
  set(Metric::charges, count(c.charges));
  set(Metric::duplicate_charges, count(c.duplicate_charges));
  set(Metric::duplicate_amount, c.duplicate_amount);
  set(Metric::duplicates_prevented, count(c.duplicates_prevented));
  set(Metric::unconfirmed_payments, count(c.unconfirmed_payments));
  set(Metric::stale_views, count(c.stale_views));
  set(Metric::link_expired_errors, count(c.link_expired_errors));
  set(Metric::otp_failures, count(c.otp_failures));
  set(Metric::support_contacts, count(c.support_contacts));
  set(Metric::blocked_by_otp, count(c.blocked_by_otp));
  set(Metric::blocked_by_risk, count(c.blocked_by_risk));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const SimTime detect = time_to_detect(c), recover = time_to_recover(c);
  set(Metric::time_to_detect_s, detect < 0 ? nan : to_seconds(detect));
  set(Metric::time_to_recover_s, recover < 0 ? nan : to_seconds(recover));
  const Metric first[] = {Metric::sms_latency_p50_s, Metric::push_latency_p50_s,
                          Metric::email_latency_p50_s, Metric::in_app_latency_p50_s};
  for (std::size_t ch = 0; ch < 4; ++ch) {
    const int m = static_cast<int>(first[ch]);
    v[static_cast<std::size_t>(m)] = c.channel_latency_sketch[ch].quantile_s(0.50);
    v[static_cast<std::size_t>(m + 1)] = c.channel_latency_sketch[ch].quantile_s(0.95);
    v[static_cast<std::size_t>(m + 2)] = c.channel_latency_sketch[ch].quantile_s(0.99);
  }
  return v;
}

void add_cycle(Counters& into, const Counters& c) {
  // A new field of Counters changes its size: add it here (or say why not) and update the
  // size below, so no tally is silently left out of a several-cycle run.
  static_assert(sizeof(Counters) == 127280, "a field of Counters is missing from add_cycle");
  into.reminders_scheduled += c.reminders_scheduled;
  into.reminders_delivered += c.reminders_delivered;
  into.sms_sent += c.sms_sent;
  into.sms_rejected += c.sms_rejected;
  into.sms_dropped += c.sms_dropped;
  into.sms_expired += c.sms_expired;
  into.sms_failed += c.sms_failed;
  into.sms_cost += c.sms_cost;
  into.payments_due += c.payments_due;
  into.paid_on_time += c.paid_on_time;
  into.paid_late += c.paid_late;
  into.missed_payments += c.missed_payments;
  into.borrowers_reminded += c.borrowers_reminded;
  into.sms_undeliverable += c.sms_undeliverable;
  into.sms_retries += c.sms_retries;
  into.push_sent += c.push_sent;
  into.email_sent += c.email_sent;
  into.in_app_sent += c.in_app_sent;
  into.messages_delivered += c.messages_delivered;
  into.reminders_seen += c.reminders_seen;
  into.borrowers_saw_reminder += c.borrowers_saw_reminder;
  into.reminders_after_payment += c.reminders_after_payment;
  into.reported_delinquencies += c.reported_delinquencies;
  into.amount_due += c.amount_due;
  into.missed_amount += c.missed_amount;
  into.batches_suppressed += c.batches_suppressed;
  into.failovers += c.failovers;
  into.sms_to_unreachable += c.sms_to_unreachable;
  into.payment_attempts += c.payment_attempts;
  into.borrowers_attempted += c.borrowers_attempted;
  into.payment_failures += c.payment_failures;
  into.borrowers_with_failure += c.borrowers_with_failure;
  into.charges += c.charges;
  into.postings += c.postings;
  into.duplicate_charges += c.duplicate_charges;
  into.duplicate_amount += c.duplicate_amount;
  into.duplicates_prevented += c.duplicates_prevented;
  into.unconfirmed_payments += c.unconfirmed_payments;
  into.stale_views += c.stale_views;
  into.link_expired_errors += c.link_expired_errors;
  into.otp_failures += c.otp_failures;
  into.support_contacts += c.support_contacts;
  into.blocked_by_otp += c.blocked_by_otp;
  into.blocked_by_risk += c.blocked_by_risk;
  into.charges_before_attempt += c.charges_before_attempt;
  into.overdue_reminder_payers += c.overdue_reminder_payers;
  into.collections_calls += c.collections_calls;
  into.collections_contacts += c.collections_contacts;
  into.events += c.events;
  for (std::size_t k = 0; k < into.payment_failures_by_cause.size(); ++k)
    into.payment_failures_by_cause[k] += c.payment_failures_by_cause[k];
  into.delivery_latency.merge(c.delivery_latency);
  for (std::size_t ch = 0; ch < into.channel_latency.size(); ++ch)
    into.channel_latency[ch].merge(c.channel_latency[ch]);
  into.delivery_latency_sketch.merge(c.delivery_latency_sketch);
  for (std::size_t ch = 0; ch < into.channel_latency_sketch.size(); ++ch)
    into.channel_latency_sketch[ch].merge(c.channel_latency_sketch[ch]);
}

CycleMetricValues cycle_metric_values(const MetricValues& all) {
  CycleMetricValues out{};
  for (std::size_t i = 0; i < kCycleMetricCount; ++i)
    out[i] = all[static_cast<std::size_t>(kCycleMetrics[i])];
  return out;
}

SimTime time_to_detect(const Counters& c) {
  if (c.first_fault_start == kTimeNever || c.first_detection == kTimeNever) return -1;
  return c.first_detection - c.first_fault_start;
}

SimTime time_to_recover(const Counters& c) {
  if (c.first_fault_start == kTimeNever) return -1;
  return std::min(c.first_recovery, c.first_fault_end) - c.first_fault_start;
}

bool identical(const MetricValues& a, const MetricValues& b) {
  return std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace faultline
