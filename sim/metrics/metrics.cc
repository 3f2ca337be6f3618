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
