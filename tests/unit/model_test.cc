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
  EXPECT_EQ(time_to_detect(c), -1) << "no fault, nothing to detect";
}

TEST(Model, AutopayRemovesForgetting) {
  const std::string text = small_scenario("", "  baseline: {}\n", kTwoVendors, "");
  std::string with_autopay = text;
  with_autopay.replace(with_autopay.find("autopay: 0%"), 11, "autopay: 50%");
  const Counters none = run_once(parse_text(text));
  const Counters half = run_once(parse_text(with_autopay));
  // Same draws: the borrowers who miss with 50 % autopay are those who missed without it
  // and are not enrolled, each with p = 1/2, independently of why they missed.
  EXPECT_NEAR(rate(half.missed_payments, none.missed_payments), 0.5,
              five_se(0.5, static_cast<double>(none.missed_payments)));
}

TEST(SmsVendor, QueueDrainsAtCapacityAndExpiresPastValidity) {
  // ~5,000 reminders per daily batch at 10/s: the validity of 30 s lets only the first
  // 301 of each of the 4 batches through (waits 0, 0.1, … 30 s). Expired messages take
  // no send slot.
  const Counters c = run_once(parse_text(
      small_scenario("", "  baseline: {}\n",
                     "    alpha: {capacity: 10/s, validity: 30s}\n    beta: {capacity: 10/s}\n")));
  EXPECT_EQ(c.sms_sent - c.sms_expired, 4u * 301u);
  EXPECT_EQ(c.reminders_delivered, 4u * 301u);
}

TEST(SmsVendor, StoreAndForwardDelaysButDeliversWithinValidity) {
  // 38 % of handsets are off at the first attempt and come back after 24 h on average:
  // with 72 h validity, 0.38 × e^-3 = 1.9 % are never delivered (ETSI: ~98 % eventual).
  const Counters c = run_once(parse_text(small_scenario(
      "", "  baseline: {}\n",
      "    alpha: {capacity: 500/s, first_attempt_failure: 38%}\n    beta: {capacity: 200/s}\n")));
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
  EXPECT_NEAR(rate(c.reminders_seen, c.messages_delivered), 0.6,
              five_se(0.6, static_cast<double>(c.messages_delivered)));
  EXPECT_EQ(c.sms_sent, 0u);
  EXPECT_EQ(c.push_sent, c.reminders_scheduled);
}

}  // namespace
}  // namespace faultline

namespace faultline {
namespace {

using namespace testing;

TEST(Model, AmountsWeighMissedPayments) {
  const std::string text =
      small_scenario("", "  baseline: {}\n", kTwoVendors,
                     "  products: {mortgage: {share: 50%, amount_median: 2000, amount_sigma: 0.2},"
                     " cash_loan: {share: 50%, amount_median: 200, amount_sigma: 0.2}}\n");
  const Counters c = run_once(parse_text(text));
  // Mean of a lognormal: median × exp(σ²/2); half the borrowers of each product. One
  // amount's sd is ~964 (mostly the gap between the products: 0.5 × 1,836; within each,
  // exp(σ²/2)·sqrt(exp(σ²)-1)·median = 0.2 × its mean), so the mean of 20,000 has
  // sd ≈ 964 / sqrt(20,000) = 6.8: 5 sd = 34 (1.5 % of the mean).
  const double mean = 0.5 * (2000 + 200) * std::exp(0.02);
  EXPECT_NEAR(c.amount_due / 20000, mean, 5 * 6.8);
  EXPECT_GT(c.missed_amount, 0.0);
  EXPECT_LT(c.missed_amount, c.amount_due);
  EXPECT_THROW(parse_text(small_scenario("", "  baseline: {}\n", kTwoVendors,
                                         "  products: {a: 50%, b: 40%}\n")),
               ScenarioError);
}

TEST(Model, NonRespondersKeepTheAverageUntilThePropensityCaps) {
  auto missed_with = [](const std::string& share) {
    return run_once(parse_text(small_scenario("faults:\n  - {type: vendor_outage, target: alpha, "
                                              "at: 4d 20:00, duration: 1d}\n",
                                              "  baseline: {}\n", kTwoVendors,
                                              "  behaviour: {non_responders: " + share + "}\n")))
        .missed_payments;
  };
  const double none = static_cast<double>(missed_with("0%"));
  // 50 % never act, the others act with 80 %: the same 40 % on average. The two counts
  // differ by the borrowers whose draws now land differently, at most a Poisson-sized
  // count: 5 × sqrt(count).
  EXPECT_NEAR(static_cast<double>(missed_with("50%")), none, 5 * std::sqrt(none));
  // 80 % never act, the others are capped at 100 %: 20 % on average, more misses.
  EXPECT_GT(static_cast<double>(missed_with("80%")), none + 5 * std::sqrt(none));
}

TEST(SmsVendor, FalseDeliveredReceiptsHideFailuresFromFallbacks) {
  const std::string faults =
      "faults:\n  - {type: subscriber_suspension, share: 40%, at: 0d, duration: 1h}\n";
  const std::string strategy = "  baseline: {multi_channel: {fallback: [push], after: 2h}}\n";
  // No vendor-side failures in either run: only undeliverable (suspended) numbers fail.
  const Counters honest = run_once(parse_text(small_scenario(
      faults, strategy,
      "    alpha: {capacity: 500/s, failure_probability: 0%}\n    beta: {capacity: 200/s}\n")));
  const Counters lying = run_once(parse_text(small_scenario(
      faults, strategy,
      "    alpha: {capacity: 500/s, failure_probability: 0%, false_delivered: 100%}\n"
      "    beta: {capacity: 200/s, failure_probability: 5%}\n")));
  EXPECT_GT(honest.push_sent, 1000u) << "undeliverable SMS fall back to push";
  EXPECT_EQ(lying.push_sent, 0u) << "a false 'delivered' receipt stops the fallback";
  EXPECT_LT(lying.reminders_delivered, honest.reminders_delivered);
}

}  // namespace
}  // namespace faultline
