// The counter → metric formulas (compute_metrics), checked one by one on hand-set
// counters with distinct values, so a metric wired to the wrong counter, a ratio with
// its terms swapped or a cause in the wrong slot fails here rather than somewhere
// downstream; and the edge rules (zero denominators, no fault, no delivery).
#include "sim/metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

namespace faultline {
namespace {

double value(const MetricValues& v, std::string_view name) {
  const MetricInfo* m = find_metric(name);
  EXPECT_NE(m, nullptr) << name;
  return m ? v[static_cast<std::size_t>(m->id)] : NAN;
}

// Every counter a different value, so no formula can pass by reading the wrong one.
Counters distinct_counters() {
  Counters c;
  c.reminders_scheduled = 1000;
  c.reminders_delivered = 740;
  c.sms_sent = 1101;
  c.sms_cost = 55.05;
  c.payments_due = 2000;
  c.paid_on_time = 1700;
  c.paid_late = 180;
  c.missed_payments = 120;
  c.borrowers_reminded = 701;
  c.sms_undeliverable = 13;
  c.sms_retries = 17;
  c.push_sent = 19;
  c.email_sent = 23;
  c.in_app_sent = 29;
  c.messages_delivered = 777;
  c.reminders_seen = 431;
  c.borrowers_saw_reminder = 401;
  c.reminders_after_payment = 31;
  c.reported_delinquencies = 60;
  c.amount_due = 2'000'000;
  c.missed_amount = 150'000;
  c.batches_suppressed = 3;
  c.failovers = 2;
  c.payment_attempts = 2500;
  c.borrowers_attempted = 1950;
  c.borrowers_with_failure = 195;
  c.payment_failures = 340;
  for (int i = 0; i < kPaymentFailureCount; ++i)
    c.payment_failures_by_cause[static_cast<std::size_t>(i)] = 10 + static_cast<std::uint64_t>(i);
  c.charges = 1890;
  c.duplicate_charges = 10;
  c.duplicate_amount = 9876.5;
  c.duplicates_prevented = 37;
  c.unconfirmed_payments = 41;
  c.stale_views = 43;
  c.link_expired_errors = 47;
  c.otp_failures = 53;
  c.support_contacts = 59;
  c.blocked_by_otp = 61;
  c.blocked_by_risk = 67;
  c.overdue_reminder_payers = 71;
  c.collections_calls = 73;
  c.collections_contacts = 79;
  c.first_fault_start = 3 * kDay;
  c.first_fault_end = 3 * kDay + 6 * kHour;
  c.first_detection = 3 * kDay + 90 * kMinute;
  c.first_recovery = 3 * kDay + 2 * kHour;
  for (int i = 0; i < 100; ++i) c.delivery_latency_sketch.add((1 + i) * kSecond);  // 1..100 s
  c.channel_latency_sketch[0] /* sms */ = c.delivery_latency_sketch;
  c.channel_latency_sketch[1] /* push */.add(7 * kSecond);
  return c;
}

TEST(Metrics, EveryFormulaReadsItsOwnCounters) {
  const Counters c = distinct_counters();
  const MetricValues v = compute_metrics(c);
  EXPECT_DOUBLE_EQ(value(v, "reminders_scheduled"), 1000);
  EXPECT_DOUBLE_EQ(value(v, "reminders_delivered"), 740);
  EXPECT_DOUBLE_EQ(value(v, "notification_loss_rate"), 1 - 740.0 / 1000);
  EXPECT_DOUBLE_EQ(value(v, "sms_sent"), 1101);
  EXPECT_DOUBLE_EQ(value(v, "sms_cost"), 55.05);
  EXPECT_DOUBLE_EQ(value(v, "payments_due"), 2000);
  EXPECT_DOUBLE_EQ(value(v, "paid_on_time"), 1700);
  EXPECT_DOUBLE_EQ(value(v, "paid_late"), 180);
  EXPECT_DOUBLE_EQ(value(v, "missed_payments"), 120);
  EXPECT_DOUBLE_EQ(value(v, "missed_payment_rate"), 120.0 / 2000);
  EXPECT_DOUBLE_EQ(value(v, "late_payment_rate"), 180.0 / 2000);
  EXPECT_DOUBLE_EQ(value(v, "borrowers_reminded"), 701);
  EXPECT_DOUBLE_EQ(value(v, "payment_attempts"), 2500);
  EXPECT_DOUBLE_EQ(value(v, "reported_delinquencies"), 60);
  EXPECT_DOUBLE_EQ(value(v, "reported_delinquency_rate"), 60.0 / 2000);
  EXPECT_DOUBLE_EQ(value(v, "reminders_seen"), 431);
  EXPECT_DOUBLE_EQ(value(v, "borrowers_saw_reminder"), 401);
  EXPECT_DOUBLE_EQ(value(v, "messages_delivered"), 777);
  EXPECT_DOUBLE_EQ(value(v, "push_sent"), 19);
  EXPECT_DOUBLE_EQ(value(v, "email_sent"), 23);
  EXPECT_DOUBLE_EQ(value(v, "in_app_sent"), 29);
  EXPECT_DOUBLE_EQ(value(v, "sms_undeliverable"), 13);
  EXPECT_DOUBLE_EQ(value(v, "sms_retries"), 17);
  EXPECT_DOUBLE_EQ(value(v, "reminders_after_payment"), 31);
  EXPECT_DOUBLE_EQ(value(v, "batches_suppressed"), 3);
  EXPECT_DOUBLE_EQ(value(v, "failovers"), 2);
  EXPECT_DOUBLE_EQ(value(v, "time_to_detect_s"), 5400);
  EXPECT_DOUBLE_EQ(value(v, "time_to_recover_s"), 7200);
  EXPECT_DOUBLE_EQ(value(v, "amount_due"), 2'000'000);
  EXPECT_DOUBLE_EQ(value(v, "missed_amount"), 150'000);
  EXPECT_DOUBLE_EQ(value(v, "missed_amount_rate"), 150'000.0 / 2'000'000);
  EXPECT_DOUBLE_EQ(value(v, "borrowers_attempted"), 1950);
  EXPECT_DOUBLE_EQ(value(v, "borrowers_with_failure"), 195);
  EXPECT_DOUBLE_EQ(value(v, "borrower_failure_rate"), 0.1);
  EXPECT_DOUBLE_EQ(value(v, "payment_failures"), 340);
  EXPECT_DOUBLE_EQ(value(v, "payment_failure_rate"), 340.0 / 2500);
  for (int i = 0; i < kPaymentFailureCount; ++i)
    EXPECT_DOUBLE_EQ(value(v, "payment_failures_" +
                                  std::string(kPaymentFailureNames[static_cast<std::size_t>(i)])),
                     10 + i)
        << "cause " << kPaymentFailureNames[static_cast<std::size_t>(i)];
  EXPECT_DOUBLE_EQ(value(v, "charges"), 1890);
  EXPECT_DOUBLE_EQ(value(v, "duplicate_charges"), 10);
  EXPECT_DOUBLE_EQ(value(v, "duplicate_amount"), 9876.5);
  EXPECT_DOUBLE_EQ(value(v, "duplicates_prevented"), 37);
  EXPECT_DOUBLE_EQ(value(v, "unconfirmed_payments"), 41);
  EXPECT_DOUBLE_EQ(value(v, "stale_views"), 43);
  EXPECT_DOUBLE_EQ(value(v, "link_expired_errors"), 47);
  EXPECT_DOUBLE_EQ(value(v, "otp_failures"), 53);
  EXPECT_DOUBLE_EQ(value(v, "support_contacts"), 59);
  EXPECT_DOUBLE_EQ(value(v, "blocked_by_otp"), 61);
  EXPECT_DOUBLE_EQ(value(v, "blocked_by_risk"), 67);
  EXPECT_DOUBLE_EQ(value(v, "cure_rate"), 180.0 / (180 + 120));
  EXPECT_DOUBLE_EQ(value(v, "overdue_reminder_payers"), 71);
  EXPECT_DOUBLE_EQ(value(v, "collections_calls"), 73);
  EXPECT_DOUBLE_EQ(value(v, "collections_contacts"), 79);
  // Latency quantiles come from the run's sketches (1 % bins), over every channel and
  // per channel, each channel from its own; the mean is exact.
  for (const char* q : {"p50", "p95", "p99"}) {
    const double pooled = value(v, std::string("delivery_latency_") + q + "_s");
    EXPECT_DOUBLE_EQ(pooled, c.delivery_latency_sketch.quantile_s(q[1] == '5'   ? 0.5
                                                                  : q[2] == '5' ? 0.95
                                                                                : 0.99));
    EXPECT_DOUBLE_EQ(value(v, std::string("sms_latency_") + q + "_s"), pooled);
    EXPECT_NEAR(value(v, std::string("push_latency_") + q + "_s"), 7, 7 * 0.01);
    EXPECT_TRUE(std::isnan(value(v, std::string("email_latency_") + q + "_s")))
        << "no e-mail delivered: no value, never 0";
    EXPECT_TRUE(std::isnan(value(v, std::string("in_app_latency_") + q + "_s")));
  }
  // Order statistics at ranks 50 and 99 of 1..100 s, within 1 % (issue 18; 13 % before).
  EXPECT_NEAR(value(v, "delivery_latency_p50_s"), 50, 50 * 0.01);
  EXPECT_NEAR(value(v, "delivery_latency_p99_s"), 99, 99 * 0.01);
  EXPECT_DOUBLE_EQ(value(v, "delivery_latency_mean_s"), 50.5);
}

TEST(Metrics, EveryMetricIsSetAndNamedOnce) {
  // Every name in the catalogue is distinct, in Metric order, and found by find_metric.
  std::set<std::string_view> names;
  for (const MetricInfo& m : kMetrics) {
    EXPECT_EQ(&kMetrics[static_cast<std::size_t>(m.id)], &m) << m.name;
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_EQ(find_metric(m.name), &m);
    EXPECT_FALSE(m.unit.empty()) << m.name;
    EXPECT_FALSE(m.definition.empty()) << m.name;
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kMetricCount));
  // Distinct counters give distinct values for every count metric: none is left unset.
  const MetricValues v = compute_metrics(distinct_counters());
  for (const MetricInfo& m : kMetrics) {
    if (m.unit == "ratio" || m.unit == "seconds") continue;
    EXPECT_NE(v[static_cast<std::size_t>(m.id)], 0.0) << m.name << " is never set";
  }
}

TEST(Metrics, EdgeRules) {
  Counters empty;
  const MetricValues v = compute_metrics(empty);
  // Nothing scheduled, nothing due, no attempt: the rates are 0, not NaN.
  for (const char* rate : {"notification_loss_rate", "missed_payment_rate", "late_payment_rate",
                           "cure_rate", "reported_delinquency_rate", "missed_amount_rate",
                           "payment_failure_rate", "borrower_failure_rate"})
    EXPECT_EQ(value(v, rate), 0.0) << rate;
  // No fault: nothing to detect or recover from — no value (null in results.json).
  EXPECT_TRUE(std::isnan(value(v, "time_to_detect_s")));
  EXPECT_TRUE(std::isnan(value(v, "time_to_recover_s")));
  EXPECT_TRUE(std::isnan(value(v, "delivery_latency_p95_s"))) << "nothing delivered";
  EXPECT_TRUE(std::isnan(value(v, "delivery_latency_mean_s"))) << "nothing delivered";
  // A fault never detected and never acted on: recovery is the end of its window.
  Counters undetected;
  undetected.first_fault_start = 2 * kDay;
  undetected.first_fault_end = 2 * kDay + 6 * kHour;
  const MetricValues u = compute_metrics(undetected);
  EXPECT_TRUE(std::isnan(value(u, "time_to_detect_s")));
  EXPECT_DOUBLE_EQ(value(u, "time_to_recover_s"), 21600);
  // Acted on after the window closed: still the window's end.
  undetected.first_recovery = 3 * kDay;
  EXPECT_DOUBLE_EQ(value(compute_metrics(undetected), "time_to_recover_s"), 21600);
  // Everything delivered: no loss.
  Counters all;
  all.reminders_scheduled = all.reminders_delivered = 10;
  EXPECT_EQ(value(compute_metrics(all), "notification_loss_rate"), 0.0);
}

}  // namespace
}  // namespace faultline
