// The model's basic contracts: outcomes add up, normal operation matches the calibrated
// arithmetic, the vendor queue and validity behave exactly, channels reach whom they can.
// Faults and mitigations have their own files (faults_test.cc, mitigations_test.cc).
#include <gtest/gtest.h>

#include <cmath>

#include "scenario_fixture.h"

namespace faultline {
namespace {

using namespace testing;

TEST(Model, OutcomesAddUpAndNormalOperationMatchesTheCalibration) {
  const Counters c = run_once("");
  EXPECT_EQ(c.payments_due, 20000u);
  EXPECT_EQ(c.paid_on_time + c.paid_late + c.missed_payments, c.payments_due);
  // Only the 5 % per-message failure loses reminders.
  const double loss = 1 - rate(c.reminders_delivered, c.reminders_scheduled);
  EXPECT_NEAR(loss, 0.05, five_se(0.05, static_cast<double>(c.reminders_scheduled)));
  // Missed = forgetters (20 %) not rescued (1 - 0.95 × 0.4) who do not cure (40 %).
  const double expected = 0.2 * (1 - 0.95 * 0.4) * 0.4;
  EXPECT_NEAR(rate(c.missed_payments, c.payments_due), expected, five_se(expected, 20000));
  // Half of the missed still pay before the reporting threshold.
  EXPECT_NEAR(rate(c.reported_delinquencies, c.missed_payments), 0.5,
              five_se(0.5, static_cast<double>(c.missed_payments)));
  EXPECT_EQ(c.sms_to_unreachable, 0u);
  EXPECT_EQ(c.time_to_detect, -1) << "no fault, nothing to detect";
}

TEST(Model, AutopayRemovesForgetting) {
  const std::string text = small_scenario("", "  baseline: {}\n", kTwoVendors, "");
  std::string with_autopay = text;
  with_autopay.replace(with_autopay.find("autopay: 0%"), 11, "autopay: 50%");
  const Counters none = run_once(parse_text(text));
  const Counters half = run_once(parse_text(with_autopay));
  const double expected = 0.5 * rate(none.missed_payments, none.payments_due);
  EXPECT_NEAR(rate(half.missed_payments, half.payments_due), expected, five_se(expected, 20000) * 1.5);
}

TEST(SmsVendor, QueueDrainsAtCapacityAndExpiresPastValidity) {
  // ~5,000 reminders per daily batch at 10/s: the validity of 30 s lets only the first
  // 301 of each of the 4 batches through (waits 0, 0.1, … 30 s). Expired messages take
  // no send slot.
  const Counters c = run_once(parse_text(small_scenario(
      "", "  baseline: {}\n", "    alpha: {capacity: 10/s, validity: 30s}\n    beta: {capacity: 10/s}\n")));
  EXPECT_EQ(c.sms_sent - c.sms_expired, 4u * 301u);
  EXPECT_EQ(c.reminders_delivered, 4u * 301u);
}

TEST(SmsVendor, StoreAndForwardDelaysButDeliversWithinValidity) {
  // 38 % of handsets are off at the first attempt and come back after 24 h on average:
  // with 72 h validity, 0.38 × e^-3 = 1.9 % are never delivered (ETSI: ~98 % eventual).
  const Counters c = run_once(parse_text(small_scenario(
      "", "  baseline: {}\n", "    alpha: {capacity: 500/s, first_attempt_failure: 38%}\n    beta: {capacity: 200/s}\n")));
  const double expected = 0.38 * std::exp(-3.0);
  EXPECT_NEAR(1 - rate(c.reminders_delivered, c.reminders_scheduled), expected,
              five_se(expected, static_cast<double>(c.reminders_scheduled)));
  EXPECT_GT(compute_metrics(c)[static_cast<int>(Metric::sms_latency_p95_s)], 3600.0);
}

TEST(Channels, PushAndEmailReachOnlyTheirAudienceAndAreSeenLess) {
  const std::string text = small_scenario("", "  baseline: {}\n");
  std::string push = text;
  push.replace(push.find("- {before_due: 1d}"), 18, "- {before_due: 1d, channel: push}");
  const Counters c = run_once(parse_text(push));
  // Reachable: app users (70 %) who opted in (55 %), minus stale tokens (10 %).
  const double delivered = 0.7 * 0.55 * 0.9;
  EXPECT_NEAR(rate(c.reminders_delivered, c.reminders_scheduled), delivered,
              five_se(delivered, static_cast<double>(c.reminders_scheduled)));
  EXPECT_NEAR(rate(c.reminders_seen, c.messages_delivered), 0.6, five_se(0.6, static_cast<double>(c.messages_delivered)));
  EXPECT_EQ(c.sms_sent, 0u);
  EXPECT_EQ(c.push_sent, c.reminders_scheduled);
}

}  // namespace
}  // namespace faultline
