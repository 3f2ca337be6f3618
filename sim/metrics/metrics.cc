#include "sim/metrics/metrics.h"

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
    {Metric::payment_attempts, "payment_attempts", "attempts", "payments borrowers started"},
    {Metric::delivery_latency_p50_s, "delivery_latency_p50_s", "seconds",
     "median time from the reminder batch to the handset, over delivered reminders"},
    {Metric::delivery_latency_p95_s, "delivery_latency_p95_s", "seconds",
     "95th percentile of the same (histogram upper edge: at most 12 % high)"},
    {Metric::delivery_latency_p99_s, "delivery_latency_p99_s", "seconds", "99th percentile of the same"},
}};

MetricValues compute_metrics(const Counters& c) {
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  MetricValues v{};
  auto set = [&v](Metric m, double x) { v[static_cast<int>(m)] = x; };
  set(Metric::reminders_scheduled, static_cast<double>(c.reminders_scheduled));
  set(Metric::reminders_delivered, static_cast<double>(c.reminders_delivered));
  set(Metric::notification_loss_rate,
      c.reminders_scheduled > 0
          ? 1.0 - ratio(static_cast<double>(c.reminders_delivered), static_cast<double>(c.reminders_scheduled))
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
  set(Metric::delivery_latency_p50_s, c.delivery_latency.quantile_s(0.50));
  set(Metric::delivery_latency_p95_s, c.delivery_latency.quantile_s(0.95));
  set(Metric::delivery_latency_p99_s, c.delivery_latency.quantile_s(0.99));
  return v;
}

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace faultline
